package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.Quarry;
import dev.quarry.cache.CacheSettings;
import dev.quarry.cache.DiskTier;
import dev.quarry.cache.ModelKey;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.store.IndexLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection: a real {@code quarry index} process, embedding, is killed with SIGKILL at a
 * seeded random moment; a second run must then produce the very index an uninterrupted run produces
 * (same files, chunks, hashes, line ranges, manifest) without embedding again any chunk whose
 * vector the killed run had committed. Ctrl-C (SIGINT) must stop gracefully: exit 130, a summary, a
 * consistent index, and the same final index after a rerun.
 *
 * <p>CI runs {@value #CI_TRIALS} kill trials; {@code bench/crash-soak.sh} runs many more through
 * {@code -Dquarry.crash.trials=N -Dquarry.crash.seed=S}.
 */
class CrashResumeTest {
  private static final int CI_TRIALS = 3;

  /** Files in the tree of the Ctrl-C test: enough for many commits before the run ends. */
  private static final int CTRL_C_FILES = 400;

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path work;
  static Path tree;
  static IndexContents reference;
  static long uninterruptedMillis;

  @BeforeAll
  static void referenceIndex() throws Exception {
    tree = work.resolve("tree");
    TestTrees.mixed(tree, 70, 42);
    Path index = work.resolve("reference");
    long start = System.nanoTime();
    QuarryProcess run =
        QuarryProcess.start(
            work,
            "index",
            tree.toString(),
            "--index",
            index.toString(),
            "-q",
            "--cache-dir",
            "off");
    assertThat(run.waitFor(300)).as(run.output()).isZero();
    uninterruptedMillis = (System.nanoTime() - start) / 1_000_000;
    reference = IndexContents.read(index);
    assertThat(reference.files()).hasSize(70);
    assertThat(reference.hashesWithVectors()).isEqualTo(reference.chunkHashes());
  }

  @Test
  void killedAtRandomMomentsThenResumedGivesTheUninterruptedIndex() throws Exception {
    int trials = Integer.getInteger("quarry.crash.trials", CI_TRIALS);
    long seed = Long.getLong("quarry.crash.seed", 20261123L);
    Random random = new Random(seed);
    List<String> log = new ArrayList<>();
    for (int trial = 0; trial < trials; trial++) {
      long killAfter = random.nextLong(uninterruptedMillis);
      log.add(trial(trial, killAfter));
    }
    System.out.println(
        "crash trials (seed " + seed + ", uninterrupted run " + uninterruptedMillis + " ms):");
    log.forEach(line -> System.out.println("  " + line));
  }

  private String trial(int trial, long killAfterMillis) throws Exception {
    Path index = work.resolve("killed-" + trial);
    Path cache = work.resolve("cache-" + trial);
    // Small embedding batches and frequent commits: many moments at which vectors become durable.
    QuarryProcess run =
        QuarryProcess.start(
            work,
            "index",
            tree.toString(),
            "--index",
            index.toString(),
            "-q",
            "--commit-interval",
            "300ms",
            "--commit-chunks",
            "15",
            "--batch-size",
            "8",
            "--cache-dir",
            cache.toString());
    Thread.sleep(killAfterMillis);
    boolean finishedFirst = !run.process().isAlive();
    run.process().destroyForcibly(); // SIGKILL: no hook, no commit, no unlock
    run.process().waitFor(30, TimeUnit.SECONDS);

    // Whatever the moment, the last commit is consistent: every file whole, its chunks all there.
    IndexContents crashed = hasCommit(index) ? IndexContents.read(index) : null;
    if (crashed != null) {
      QuarryCliTest.Run check = QuarryCliTest.quarry("check", "--index", index.toString());
      assertThat(check.exit())
          .as("trial %d: quarry check after the kill: %s", trial, check.out())
          .isZero();
    }
    Set<String> committedVectors = crashed == null ? Set.of() : crashed.hashesWithVectors();
    // Vectors computed but not yet committed when the kill came are in the disk cache.
    Set<String> cachedVectors = cached(cache, reference.chunkHashes());

    QuarryCliTest.Run resume =
        QuarryCliTest.quarry(
            "index",
            tree.toString(),
            "--index",
            index.toString(),
            "--json",
            "--cache-dir",
            cache.toString());
    assertThat(resume.exit()).as(resume.err()).isZero();
    JsonNode summary = JSON.readTree(resume.out());
    IndexContents resumed = IndexContents.read(index);
    assertThat(resumed.files())
        .as("trial %d: killed after %d ms", trial, killAfterMillis)
        .isEqualTo(reference.files());
    assertThat(files(index)).isEqualTo(files(work.resolve("reference")));

    // Work done before the kill is not redone: only the chunks without a committed or cached
    // vector (each distinct chunk once) go to the model.
    Set<String> owed = new HashSet<>(reference.chunkHashes());
    owed.removeAll(committedVectors);
    owed.removeAll(cachedVectors);
    assertThat(summary.at("/chunks/embedded").asLong())
        .as("trial %d: chunks embedded on resume", trial)
        .isEqualTo(owed.size());
    return "trial "
        + trial
        + ": killed after "
        + killAfterMillis
        + " ms"
        + (finishedFirst ? " (had finished)" : "")
        + ", committed files "
        + (crashed == null ? 0 : crashed.files().size())
        + "/"
        + reference.files().size()
        + ", vectors committed "
        + committedVectors.size()
        + "/"
        + reference.chunkHashes().size()
        + ", cached "
        + cachedVectors.size()
        + ", embedded on resume "
        + owed.size()
        + ": identical";
  }

  /** The hashes among {@code hashes} whose vectors the disk cache in {@code dir} holds. */
  static Set<String> cached(Path dir, Set<String> hashes) {
    Path file = dir.resolve(CacheSettings.FILE_NAME);
    if (!Files.exists(file)) {
      return Set.of();
    }
    ModelKey model = ModelKey.of(EmbeddingModels.identityOf(EmbeddingModels.DEFAULT));
    try (DiskTier disk = DiskTier.open(file, DiskTier.DEFAULT_MAX_BYTES)) {
      return disk.getAll(model, hashes).keySet();
    }
  }

  /** What {@code quarry files --json} lists: every file with its content hash and chunk count. */
  private static String files(Path index) {
    QuarryCliTest.Run files = QuarryCliTest.quarry("files", "--index", index.toString(), "--json");
    assertThat(files.exit()).as(files.err()).isZero();
    return files.out();
  }

  private static void signal(String signal, QuarryProcess run)
      throws IOException, InterruptedException {
    int exit =
        new ProcessBuilder("kill", signal, Long.toString(run.process().pid()))
            .inheritIO()
            .start()
            .waitFor();
    assertThat(exit).as("kill %s", signal).isZero();
  }

  private static boolean hasCommit(Path index) throws IOException {
    if (!Files.isDirectory(index)) {
      return false;
    }
    try (var files = Files.list(index)) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith("segments_"));
    }
  }

  @Test
  void ctrlCStopsGracefullyAndARerunFinishes() throws Exception {
    // A tree big enough that its run commits many times before it ends: the stop below must come
    // at a commit with most of the work still ahead, not at the last one.
    Path bigTree = work.resolve("tree-ctrl-c");
    TestTrees.mixed(bigTree, CTRL_C_FILES, 7);
    Path index = work.resolve("interrupted");
    QuarryProcess run =
        QuarryProcess.startInterruptible(
            work,
            "index",
            bigTree.toString(),
            "--index",
            index.toString(),
            "--commit-interval",
            "300ms",
            "--commit-chunks",
            "15",
            "--cache-dir",
            "off");
    // Wait for an observable point, a commit of the run (its lock names it, and the index has a
    // commit with its roots to search), then freeze the run (SIGSTOP): however slow the checks
    // below, the run cannot finish before the signal, which is pending when it resumes (SIGCONT).
    // The commit seen must owe at least half of its chunks' vectors (text is committed first), so
    // the run resumes with most of its embedding ahead of it. Nothing here races the wall clock: a
    // run whose first commit seen owes less fails the test saying so; it does not flip on timing.
    long deadline = System.nanoTime() + 300_000_000_000L;
    while (IndexLock.lastHolder(index).filter(h -> h.runId() > 0).isEmpty()
        || !hasCommit(index)
        || Quarry.describe(index).roots().isEmpty()) {
      assertThat(run.process().isAlive())
          .as("the run ended before its first commit: %s", run.output())
          .isTrue();
      assertThat(System.nanoTime()).as(run.output()).isLessThan(deadline);
      Thread.sleep(10);
    }
    signal("-STOP", run);
    IndexContents atStop = IndexContents.read(index);
    assertThat(atStop.hashesWithVectors().size())
        .as("vectors in the commit the run was stopped at: %s", run.output())
        .isLessThanOrEqualTo(atStop.chunkHashes().size() / 2);
    // Another process sees it running, and can search the last commit meanwhile.
    JsonNode running =
        JSON.readTree(QuarryCliTest.quarry("runs", "--index", index.toString(), "--json").out())
            .get(0);
    assertThat(running.path("status").asText()).isEqualTo("running");
    assertThat(running.path("pid").asLong()).isEqualTo(run.process().pid());
    QuarryCliTest.Run search =
        QuarryCliTest.quarry("search", "rocket", "--index", index.toString(), "--mode", "lexical");
    assertThat(search.exit()).as(search.err()).isZero();
    signal("-INT", run);
    signal("-CONT", run);
    int exit = run.waitFor(120);
    assertThat(exit).as(run.output()).isEqualTo(130);
    assertThat(run.output()).contains("stopping, committing what is done").contains("interrupted");
    IndexContents stopped = IndexContents.read(index);
    assertThat(QuarryCliTest.quarry("check", "--index", index.toString()).exit()).isZero();
    // Stopped before the end: some vectors were still owed (their files are in as text).
    QuarryProcess whole =
        QuarryProcess.start(
            work,
            "index",
            bigTree.toString(),
            "--index",
            work.resolve("ctrl-c-reference").toString(),
            "-q",
            "--cache-dir",
            "off");
    assertThat(whole.waitFor(300)).as(whole.output()).isZero();
    IndexContents bigReference = IndexContents.read(work.resolve("ctrl-c-reference"));
    assertThat(stopped.hashesWithVectors().size()).isLessThan(bigReference.chunkHashes().size());

    QuarryCliTest.Run runs = QuarryCliTest.quarry("runs", "--index", index.toString(), "--json");
    assertThat(JSON.readTree(runs.out()).get(0).path("status").asText()).isEqualTo("interrupted");

    QuarryCliTest.Run rerun =
        QuarryCliTest.quarry("index", bigTree.toString(), "--index", index.toString(), "-q");
    assertThat(rerun.exit()).as(rerun.err()).isZero();
    assertThat(IndexContents.read(index).files()).isEqualTo(bigReference.files());
    assertThat(IndexContents.read(index).hashesWithVectors())
        .isEqualTo(bigReference.hashesWithVectors());
    JsonNode history =
        JSON.readTree(QuarryCliTest.quarry("runs", "--index", index.toString(), "--json").out());
    assertThat(history.get(0).path("status").asText()).isEqualTo("completed");
    assertThat(history.get(0).path("id").asLong())
        .isEqualTo(history.get(1).path("id").asLong() + 1);
  }
}
