package dev.quarry.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quarry.Quarry;
import dev.quarry.check.IndexChecker;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.index.QuarryIndex;
import dev.quarry.pipeline.FileOutcome;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.pipeline.RunListener;
import dev.quarry.pipeline.RunStatus;
import dev.quarry.scan.ScanOptions;
import dev.quarry.search.SearchHit;
import dev.quarry.search.SearchMode;
import dev.quarry.search.SearchRequest;
import dev.quarry.store.IndexLock;
import dev.quarry.store.IndexLockedException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live index on real files, real kernel events and a real Lucene index (lexical, so no model is
 * loaded): the index follows the tree, seen through the facade's search.
 */
class LiveIndexTest {
  @TempDir Path temp;
  Path root;
  Path indexDir;
  LiveIndex live;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** Every outcome of every run the live index made. */
  final List<FileOutcome> outcomes = new CopyOnWriteArrayList<>();

  final RunListener recording =
      new RunListener() {
        @Override
        public void onOutcome(FileOutcome outcome) {
          outcomes.add(outcome);
        }
      };

  @BeforeEach
  void tree() throws IOException {
    root = Files.createDirectories(temp.resolve("root")).toRealPath();
    indexDir = root.resolve(".quarry");
    Files.writeString(root.resolve(".gitignore"), "node_modules/\n");
    Files.createDirectories(root.resolve("node_modules"));
    Files.writeString(root.resolve("start.txt"), "aardvark was here before the watch");
  }

  @AfterEach
  void stop() throws IOException {
    if (live != null) {
      live.close();
    }
  }

  private void start() throws Exception {
    start(LiveIndex.RETRY_DELAY);
  }

  private IndexOptions options() {
    return IndexOptions.of(
            List.of(root),
            indexDir,
            ScanOptions.defaults().withExcludedDirectory(indexDir),
            false,
            EmbeddingModels.DEFAULT)
        .withWorkers(2);
  }

  private void start(Duration retryDelay) throws Exception {
    live =
        LiveIndex.start(
            options(),
            run -> run.listener(recording),
            retryDelay,
            Clock.systemUTC(),
            registry,
            line -> {});
    Awaits.await("start-up reconcile", () -> live.status().reconcileRuns() == 1);
    assertThat(hits("aardvark")).containsExactly("start.txt");
  }

  /** The paths of the lexical hits for {@code query}. */
  private List<String> hits(String query) throws IOException {
    if (!Quarry.isIndex(indexDir)) {
      return List.of();
    }
    try (Quarry.SearchSession session = Quarry.search(indexDir).withModel(false).open()) {
      return session.searcher().search(SearchRequest.of(query, 100, SearchMode.LEXICAL)).stream()
          .map(SearchHit::path)
          .distinct()
          .sorted()
          .toList();
    }
  }

  private void awaitHits(String query, List<String> paths) throws Exception {
    Awaits.await(query + " finds " + paths, () -> hits(query).equals(paths));
  }

  @Test
  void createdModifiedAndDeletedFilesAreFollowed() throws Exception {
    start();
    Path file = Files.writeString(root.resolve("notes.txt"), "the zebra crossing");
    awaitHits("zebra", List.of("notes.txt"));
    Files.writeString(file, "the giraffe crossing");
    awaitHits("giraffe", List.of("notes.txt"));
    assertThat(hits("zebra")).isEmpty();
    Files.delete(file);
    awaitHits("giraffe", List.of());
    Awaits.await("idle", () -> live.status().idle());
    assertThat(live.status().lastRun().status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(live.status().lastError()).isNull();
  }

  @Test
  void aNewDirectoryIsIndexedARenamedOneFollowedAndOneMovedAwayLeavesTheIndex() throws Exception {
    start();
    Path dir = Files.createDirectories(root.resolve("docs/guide"));
    Files.writeString(dir.resolve("a.md"), "# Pelican\npelican facts");
    Files.writeString(dir.resolve("b.txt"), "more pelican facts");
    awaitHits("pelican", List.of("docs/guide/a.md", "docs/guide/b.txt"));
    Files.move(root.resolve("docs"), root.resolve("manual")); // renamed inside the tree
    awaitHits("pelican", List.of("manual/guide/a.md", "manual/guide/b.txt"));
    Files.move(root.resolve("manual"), temp.resolve("manual-outside")); // moved out of it
    awaitHits("pelican", List.of());
    Awaits.await("idle", () -> live.status().idle());
    assertThat(live.status().failedRuns()).isZero();
  }

  @Test
  void aFileInAnIgnoredDirectoryIsNeitherIndexedNorReported() throws Exception {
    start();
    Files.writeString(root.resolve("node_modules/dep.js"), "walrus inside dependencies");
    Files.writeString(root.resolve("visible.txt"), "walrus outside");
    awaitHits("walrus", List.of("visible.txt"));
    Awaits.await("idle", () -> live.status().idle());
    // The syncs heard of visible.txt alone: the ignored file was not even reported.
    assertThat(outcomes).extracting(FileOutcome::path).contains("visible.txt");
    assertThat(outcomes).noneMatch(o -> o.path().contains("node_modules"));
    assertThat(live.status().lastRun().failures()).isEmpty();
  }

  @Test
  void twoThousandFilesWrittenAtOnceComeInAFewRuns() throws Exception {
    start();
    long before = Quarry.status(indexDir).files(); // start.txt and .gitignore
    Path dir = Files.createDirectories(root.resolve("bulk"));
    for (int i = 0; i < 2000; i++) {
      Files.writeString(dir.resolve("f" + i + ".txt"), "bulkword number" + i);
    }
    Awaits.await(
        "2000 files indexed", () -> live.status().idle() && hits("bulkword").size() == 100);
    Awaits.await("all 2000 files in", () -> Quarry.status(indexDir).files() == before + 2000);
    Awaits.await("idle", () -> live.status().idle());
    // Syncs, or a reconcile when the directory got more than the JDK's 512 queued events per watch.
    assertThat(runs() - 1).as("%s", live.status()).isBetween(1L, 10L);
    assertThat(live.status().failedRuns()).isZero();
  }

  @Test
  void aGitCheckoutOfTwoThousandFilesComesInAFewRunsBothWays() throws Exception {
    assumeTrue(gitOnPath(), "git is not installed");
    git("init", "-q");
    git("add", "-A");
    git("commit", "-q", "-m", "base");
    git("checkout", "-q", "-b", "feature");
    Path gen = Files.createDirectories(root.resolve("gen/deep"));
    for (int i = 0; i < 2000; i++) {
      Files.writeString(gen.resolve("g" + i + ".txt"), "checkoutword file" + i);
    }
    git("add", "-A");
    git("commit", "-q", "-m", "generated");
    git("checkout", "-q", "main");
    start();
    long before = Quarry.status(indexDir).files();

    git("checkout", "-q", "feature");
    Awaits.await("2000 files in", () -> Quarry.status(indexDir).files() == before + 2000);
    Awaits.await("idle", () -> live.status().idle());
    long runs = runs();
    // Syncs, or a reconcile when a directory got more than the JDK's 512 queued events per watch.
    assertThat(runs - 1).as("%s", live.status()).isBetween(1L, 10L);

    git("checkout", "-q", "main"); // deletes the files and their directories
    Awaits.await("2000 files out", () -> Quarry.status(indexDir).files() == before);
    assertThat(hits("checkoutword")).isEmpty();
    Awaits.await("idle", () -> live.status().idle());
    assertThat(runs() - runs).as("%s", live.status()).isBetween(1L, 10L);
    assertThat(live.status().failedRuns()).isZero();
  }

  /** Runs the live index finished: syncs and reconciles, the start-up one included. */
  private long runs() {
    return live.status().syncRuns() + live.status().reconcileRuns();
  }

  private static boolean gitOnPath() {
    try {
      Process p = new ProcessBuilder("git", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs git in the root, with none of the machine's or user's configuration. */
  private void git(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "git",
                "-c",
                "user.name=Quarry Test",
                "-c",
                "user.email=test@quarry.invalid",
                "-c",
                "commit.gpgSign=false",
                "-c",
                "init.defaultBranch=main"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
    pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    Process p = pb.redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("git %s finished", List.of(args)).isTrue();
    assertThat(p.exitValue()).as("git %s: %s", List.of(args), output).isZero();
  }

  @Test
  void anOverflowRunsAReconcileThatCatchesWhatTheEventsMissed() throws Exception {
    start();
    // A real overflow needs more than 16k events queued faster than they are read: simulated.
    live.watcher.simulateOverflow();
    Awaits.await("reconcile run", () -> live.status().reconcileRuns() == 2);
    assertThat(live.status().lastRun().kind()).isEqualTo("index");
    assertThat(registry.get("quarry.watch.overflows").counter().count()).isEqualTo(1);
    assertThat(registry.get("quarry.watch.reconciles").counter().count()).isEqualTo(2);
    // The start-up reconcile had no event to wait for; the overflow's reconcile did.
    assertThat(registry.get("quarry.watch.lag").timer().count()).isEqualTo(1);
  }

  @Test
  void aFailedRunIsRecordedAndFollowedByAReconcileOnceTheIndexCanBeWritten() throws Exception {
    Files.writeString(root.resolve("late.txt"), "the heron arrived while the index was busy");
    QuarryIndex other = QuarryIndex.openForWriting(indexDir); // another writer holds the index
    try {
      live =
          LiveIndex.start(
              options(),
              run -> run.listener(recording),
              Duration.ofMillis(200),
              Clock.systemUTC(),
              registry,
              line -> {});
      Awaits.await("the start-up run failed", () -> live.status().failedRuns() >= 1);
      assertThat(live.status().lastError()).startsWith("index run failed: ");
      assertThat(live.status().lastErrorAt()).isNotNull();
      assertThat(registry.get("quarry.watch.failures").counter().count()).isPositive();
      assertThat(registry.get("quarry.watch.lag").timer().count()).isZero();
    } finally {
      other.close();
    }
    Awaits.await("a reconcile after the failure", () -> live.status().reconcileRuns() >= 1);
    awaitHits("heron", List.of("late.txt"));
  }

  @Test
  void theLiveIndexKeepsTheWriteLockBetweenRunsWithoutNamingARun() throws Exception {
    start();
    Files.writeString(root.resolve("between.txt"), "the kestrel hovered between two runs");
    awaitHits("kestrel", List.of("between.txt"));
    Awaits.await("idle", () -> live.status().idle());
    // No second writer while the live index lives, yet no run is in progress: a process killed
    // now leaves no run for the next one to record as interrupted.
    assertThatThrownBy(() -> QuarryIndex.openForWriting(indexDir).close())
        .isInstanceOf(IndexLockedException.class);
    assertThat(Quarry.runInProgress(indexDir)).isEmpty();
    assertThat(IndexLock.lastHolder(indexDir)).isEmpty();
    live.close();
    live = null;
    QuarryIndex.openForWriting(indexDir).close(); // released on close
  }

  @Test
  void closeLeavesNoThreadAndAConsistentIndex() throws Exception {
    start();
    for (int i = 0; i < 300; i++) {
      Files.writeString(root.resolve("c" + i + ".txt"), "closing words " + i);
    }
    Awaits.await(
        "a sync started", () -> live.status().running() != null || live.status().syncRuns() > 0);
    live.close();
    assertThat(live.status().watching()).isFalse();
    assertThat(Awaits.threadNamed("quarry-live-index")).isFalse();
    assertThat(Awaits.threadNamed("quarry-watch")).isFalse();
    assertThat(Quarry.check(indexDir, IndexChecker.Depth.CHECKSUMS).consistent()).isTrue();
    assertThat(Quarry.runInProgress(indexDir)).isEmpty();
    live = null;
  }
}
