package dev.quarry.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.Quarry;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.json.QuarryJson;
import dev.quarry.pipeline.FileOutcome;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.pipeline.RunListener;
import dev.quarry.scan.ScanOptions;
import dev.quarry.serve.ServeOptions;
import dev.quarry.server.SearchServer;
import io.micrometer.core.instrument.Metrics;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults while a live index is served (issue 12): a root that disappears, a directory renamed, a
 * file made unreadable, a full disk at commit. A real watch, real Lucene index, a real {@link
 * SearchServer} over loopback: the server keeps answering from the last commit and says what is
 * wrong in {@code /v1/status} (watch.problem) and the log.
 */
@Tag("hostile")
class LiveIndexFaultsTest {
  private static final String DISK_FULL = "No space left on device";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir Path temp;
  Path root;
  Path indexDir;
  LiveIndex live;
  SearchServer server;

  /** What the live index logged (the CLI prints it on stderr). */
  final List<String> log = new CopyOnWriteArrayList<>();

  final List<FileOutcome> outcomes = new CopyOnWriteArrayList<>();

  /** Set: every file the index writes fails as on a full disk. */
  final AtomicBoolean diskFull = new AtomicBoolean();

  @BeforeEach
  void tree() throws IOException {
    root = Files.createDirectories(temp.resolve("root")).toRealPath();
    indexDir = temp.resolve("index"); // outside the root: removing the root leaves it
    Files.writeString(root.resolve("start.txt"), "aardvark was here before the watch");
    Files.createDirectories(root.resolve("docs"));
    Files.writeString(root.resolve("docs/kiwi.txt"), "kiwi lives in the docs");
  }

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
    if (live != null) {
      live.close();
    }
  }

  private void start() throws Exception {
    IndexOptions options =
        IndexOptions.of(
                List.of(root),
                indexDir,
                ScanOptions.defaults().withExcludedDirectory(indexDir),
                false,
                EmbeddingModels.DEFAULT)
            .withWorkers(2);
    RunListener recording =
        new RunListener() {
          @Override
          public void onOutcome(FileOutcome outcome) {
            outcomes.add(outcome);
          }
        };
    live =
        LiveIndex.start(
            options,
            run -> run.listener(recording).store(FullDisk.when(diskFull)),
            Duration.ofMillis(200),
            Clock.systemUTC(),
            Metrics.globalRegistry,
            log::add);
    Awaits.await("start-up reconcile", () -> live.status().reconcileRuns() == 1);
    server =
        SearchServer.start(
            new SearchServer.Config(
                indexDir,
                ServeOptions.loopback(0),
                () -> Quarry.search(indexDir).withModel(false).open(),
                Optional.empty(),
                false,
                Optional.of(live::status)));
    awaitHits("aardvark", List.of("start.txt"));
  }

  @Test
  void aRootThatDisappearsKeepsTheIndexIsReportedAndIsFollowedAgainWhenBack() throws Exception {
    start();
    awaitHits("kiwi", List.of("docs/kiwi.txt"));

    deleteTree(root); // an unmounted disk, or a mistake: not a reason to empty the index
    Awaits.await("the problem is reported", () -> problem().contains("root " + root));
    assertThat(problem()).contains("gone");
    assertThat(log).anyMatch(line -> line.contains("root " + root) && line.contains("gone"));
    Awaits.await("idle", () -> live.status().running() == null);
    assertThat(hits("kiwi")).containsExactly("docs/kiwi.txt");
    assertThat(hits("aardvark")).containsExactly("start.txt");

    // Back (remounted): reconciled, then watched again.
    Files.createDirectories(root.resolve("docs"));
    Files.writeString(root.resolve("docs/kiwi.txt"), "kiwi lives in the docs");
    Files.writeString(root.resolve("mango.txt"), "mango came with the root");
    awaitHits("mango", List.of("mango.txt"));
    assertThat(hits("aardvark")).isEmpty(); // start.txt did not come back
    Files.writeString(root.resolve("papaya.txt"), "papaya written after the return");
    awaitHits("papaya", List.of("papaya.txt"));
    Awaits.await("the problem is over", () -> problem().isEmpty());
    assertThat(log).anyMatch(line -> line.startsWith("recovered") && line.contains("root " + root));
  }

  @Test
  void aDirectoryRenamedLeavesItsOldPathsAndIsSearchableUnderItsNewOnes() throws Exception {
    start();
    Files.createDirectories(root.resolve("docs/deep"));
    Files.writeString(root.resolve("docs/deep/owl.md"), "# Owl\nowl notes");
    awaitHits("owl", List.of("docs/deep/owl.md"));
    Files.move(root.resolve("docs"), root.resolve("manual"));
    awaitHits("owl", List.of("manual/deep/owl.md"));
    awaitHits("kiwi", List.of("manual/kiwi.txt"));
    assertThat(Quarry.status(indexDir).files()).isEqualTo(3);
  }

  @Test
  void aFileMadeUnreadableIsReportedAndIndexedOnceReadableAgain() throws Exception {
    start();
    Path file = Files.writeString(root.resolve("f.txt"), "lemur first words");
    awaitHits("lemur", List.of("f.txt"));
    Files.writeString(file, "okapi second words");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
    if (!"root".equals(System.getProperty("user.name"))) {
      Awaits.await(
          "the sync failed on it",
          () ->
              outcomes.contains(
                  new FileOutcome.Failed(root.relativize(file) + "", "permission denied")));
      Awaits.await("idle", () -> live.status().idle());
      assertThat(live.status().lastRun().failures())
          .contains(new FileOutcome.Failed("f.txt", "permission denied"));
      assertThat(hits("lemur")).containsExactly("f.txt"); // its last readable content stays
      assertThat(hits("kiwi")).containsExactly("docs/kiwi.txt"); // the server answers
    } // root reads it anyway: the permission has no effect to report
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    awaitHits("okapi", List.of("f.txt"));
    assertThat(hits("lemur")).isEmpty();
  }

  @Test
  void aFullDiskAtCommitKeepsTheLastCommitServedSaysSoAndRecoversWhenFreed() throws Exception {
    start();
    diskFull.set(true);
    Files.writeString(root.resolve("heron.txt"), "the heron came while the disk was full");
    Awaits.await("the sync failed", () -> live.status().failedRuns() >= 1);
    assertThat(problem()).contains(DISK_FULL);
    assertThat(live.status().lastError()).contains(DISK_FULL);
    Awaits.await("retries failed too", () -> live.status().failedRuns() >= 4);
    // Said once for the sync, once for the reconciles retried: not at each retry.
    assertThat(log.stream().filter(line -> line.contains(DISK_FULL))).hasSizeBetween(1, 2);
    assertThat(hits("aardvark")).containsExactly("start.txt"); // served from the last commit
    assertThat(hits("heron")).isEmpty();

    diskFull.set(false); // space freed: the retry (a reconcile) applies what was missed
    awaitHits("heron", List.of("heron.txt"));
    Awaits.await("the problem is over", () -> problem().isEmpty());
    assertThat(log).anyMatch(line -> line.startsWith("recovered"));
  }

  /** A store that fails every new file, as a full disk does, while {@code full} is set. */
  static final class FullDisk extends FilterDirectory {
    private final AtomicBoolean full;

    private FullDisk(Directory in, AtomicBoolean full) {
      super(in);
      this.full = full;
    }

    static java.util.function.UnaryOperator<Directory> when(AtomicBoolean full) {
      return in -> new FullDisk(in, full);
    }

    @Override
    public IndexOutput createOutput(String name, IOContext context) throws IOException {
      if (full.get()) {
        throw new IOException(DISK_FULL);
      }
      return super.createOutput(name, context);
    }

    @Override
    public IndexOutput createTempOutput(String prefix, String suffix, IOContext context)
        throws IOException {
      if (full.get()) {
        throw new IOException(DISK_FULL);
      }
      return super.createTempOutput(prefix, suffix, context);
    }
  }

  /** The watch's problem as /v1/status shows it; "" when none. */
  private String problem() throws Exception {
    JsonNode watch = QuarryJson.MAPPER.readTree(get("/v1/status").body()).path("watch");
    return watch.path("problem").isNull() ? "" : watch.path("problem").asText();
  }

  /** The paths the server's lexical search finds for {@code word}. */
  private List<String> hits(String word) throws Exception {
    HttpResponse<String> response = get("/v1/search?q=" + word + "&mode=lexical&k=100");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<String> paths = new ArrayList<>();
    for (JsonNode hit : QuarryJson.MAPPER.readTree(response.body()).path("hits")) {
      if (!paths.contains(hit.path("path").asText())) {
        paths.add(hit.path("path").asText());
      }
    }
    return paths.stream().sorted().toList();
  }

  private void awaitHits(String word, List<String> paths) throws Exception {
    Awaits.await(word + " finds " + paths, () -> hits(word).equals(paths));
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(server.baseUri().resolve(pathAndQuery)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void deleteTree(Path top) throws IOException {
    try (Stream<Path> paths = Files.walk(top)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
