package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.Quarry;
import dev.quarry.store.IndexLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What other commands say of a run that holds the index's lock, or that died holding it: real
 * {@code quarry index} processes, frozen (SIGSTOP) at an observed point of their run, then killed
 * (SIGKILL) or resumed (SIGCONT). Nothing here races the clock: each point is waited for, then
 * checked again once the process is frozen.
 */
class RunInProgressTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ATTEMPTS = 3;

  @TempDir Path work;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killWhatIsLeft() throws InterruptedException {
    for (Process p : started) {
      if (p.isAlive()) {
        p.destroyForcibly(); // SIGKILL ends a stopped process too
        p.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  /** A point of a run, observed from outside through its lock and its index. */
  private interface Point {
    boolean reached(Path index) throws IOException;
  }

  /** A run frozen at a point, and the index it writes. */
  private record Frozen(QuarryProcess run, Path index, long runId) {
    long pid() {
      return run.process().pid();
    }
  }

  /**
   * Starts {@code quarry index TREE --index DIR ARGS}, waits until its lock names it with a run id
   * and {@code point} holds, then freezes it and checks both again: a run that got past the point
   * before the signal (it is fast, and free to go on) is killed and the attempt made again on a new
   * index.
   */
  private Frozen frozenAt(Path tree, Point point, String... args) throws Exception {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Path index = work.resolve("index-" + attempt);
      List<String> command =
          new ArrayList<>(List.of("index", tree.toString(), "--index", index.toString(), "-q"));
      command.addAll(List.of(args));
      QuarryProcess run = QuarryProcess.start(work, command.toArray(String[]::new));
      started.add(run.process());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (run.process().isAlive() && !(holds(run, index) && point.reached(index))) {
        assertThat(System.nanoTime())
            .as("the run never reached the point: %s", run.output())
            .isLessThan(deadline);
        Thread.sleep(5);
      }
      if (run.process().isAlive()) {
        signal("-STOP", run);
        awaitStopped(run);
        if (holds(run, index) && point.reached(index)) {
          return new Frozen(run, index, IndexLock.lastHolder(index).orElseThrow().runId());
        }
      }
      run.process().destroyForcibly();
      run.process().waitFor(30, TimeUnit.SECONDS);
    }
    throw new AssertionError("in " + ATTEMPTS + " attempts the run was never frozen at the point");
  }

  /** Whether {@code run} holds the lock of {@code index}, its run numbered. */
  private static boolean holds(QuarryProcess run, Path index) {
    return IndexLock.liveHolder(index)
        .filter(h -> h.pid() == run.process().pid() && h.runId() > 0)
        .isPresent();
  }

  private static boolean rootsRecorded(Path index) throws IOException {
    return Quarry.isIndex(index) && !Quarry.describe(index).roots().isEmpty();
  }

  /** Waits until every thread of the process is stopped: the signal is delivered, not just sent. */
  private static void awaitStopped(QuarryProcess run) throws Exception {
    Path tasks = Path.of("/proc/" + run.process().pid() + "/task");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!allStopped(tasks)) {
      assertThat(System.nanoTime()).as("the process did not stop").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  private static boolean allStopped(Path tasks) throws IOException {
    try (Stream<Path> threads = Files.list(tasks)) {
      for (Path thread : threads.toList()) {
        String stat;
        try {
          stat = Files.readString(thread.resolve("stat"), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
          continue; // the thread ended
        }
        // "pid (name) S ...": the state follows the name, which may hold spaces and parentheses.
        char state = stat.charAt(stat.lastIndexOf(')') + 2);
        if (state != 'T' && state != 't') {
          return false;
        }
      }
      return true;
    } catch (NoSuchFileException e) {
      return true; // the process ended: nothing runs
    }
  }

  private static void signal(String signal, QuarryProcess run) throws Exception {
    int exit =
        new ProcessBuilder("kill", signal, Long.toString(run.process().pid()))
            .inheritIO()
            .start()
            .waitFor();
    assertThat(exit).as("kill %s", signal).isZero();
  }

  private static JsonNode runs(Path index) throws IOException {
    QuarryCliTest.Run runs = QuarryCliTest.quarry("runs", "--index", index.toString(), "--json");
    assertThat(runs.exit()).as(runs.err()).isZero();
    return JSON.readTree(runs.out());
  }

  private static Optional<JsonNode> run(JsonNode runs, long id) {
    for (JsonNode run : runs) {
      if (run.path("id").asLong() == id) {
        return Optional.of(run);
      }
    }
    return Optional.empty();
  }

  @Test
  @Tag("hostile")
  void aRunKilledHoldingTheLockStaysInterruptedThroughCheckAndRepair() throws Exception {
    // Issue 11, item 13: check (and repair) took the lock over a killed run's record and erased it.
    Path tree = work.resolve("tree");
    TestTrees.mixed(tree, 400, 13);
    // Frequent commits: the first comes early, long before the end.
    Frozen frozen =
        frozenAt(
            tree,
            RunInProgressTest::rootsRecorded,
            "--no-embed",
            "--commit-chunks",
            "10",
            "--commit-interval",
            "1h");
    signal("-KILL", frozen.run());
    assertThat(frozen.run().process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    Path index = frozen.index();
    assertThat(run(runs(index), frozen.runId()))
        .as("the killed run, before anything else takes the lock")
        .get()
        .extracting(r -> r.path("status").asText())
        .isEqualTo("interrupted");

    QuarryCliTest.Run check = QuarryCliTest.quarry("check", "--index", index.toString());
    assertThat(check.exit()).as(check.out() + check.err()).isZero();
    assertThat(run(runs(index), frozen.runId()))
        .as("the killed run, after quarry check")
        .get()
        .extracting(r -> r.path("status").asText())
        .isEqualTo("interrupted");

    QuarryCliTest.Run repair =
        QuarryCliTest.quarry("check", "--repair", "--index", index.toString());
    assertThat(repair.exit()).as(repair.out() + repair.err()).isZero();
    assertThat(run(runs(index), frozen.runId()))
        .as("the killed run, after quarry check --repair")
        .get()
        .extracting(r -> r.path("status").asText())
        .isEqualTo("interrupted");

    // The next run records it for good, and numbers itself after it.
    QuarryCliTest.Run rerun =
        QuarryCliTest.quarry("index", tree.toString(), "--index", index.toString(), "--no-embed");
    assertThat(rerun.exit()).as(rerun.err()).isZero();
    JsonNode history = runs(index);
    assertThat(history.get(0).path("status").asText()).isEqualTo("completed");
    assertThat(history.get(0).path("id").asLong()).isEqualTo(frozen.runId() + 1);
    assertThat(history.get(1).path("id").asLong()).isEqualTo(frozen.runId());
    assertThat(history.get(1).path("status").asText()).isEqualTo("interrupted");
    assertThat(history.get(1).path("note").asText()).contains("killed");
  }

  @Test
  @Tag("hostile")
  void beforeAFirstRunsFirstCommitOtherCommandsSayItIsInProgress() throws Exception {
    // Issue 11, item 14: sync said "no roots yet", semantic search "--no-embed", status "lexical
    // only", while the first run had simply not committed yet.
    Path tree = work.resolve("tree");
    TestTrees.mixed(tree, 40, 14);
    Files.writeString(tree.resolve("rockets.md"), "# Rockets\n\nHow to launch a rocket.\n");
    // An embedding run that commits only at its end: frozen while it holds the lock, nothing
    // committed (the index has only the empty commit its writer starts with).
    Frozen frozen =
        frozenAt(
            tree,
            index -> !rootsRecorded(index),
            "--cache-dir",
            "off",
            "--commit-chunks",
            "1000000",
            "--commit-interval",
            "1h");
    Path index = frozen.index();
    String pid = "pid " + frozen.pid();

    QuarryCliTest.Run sync =
        SyncCommandTest.quarryWithInput(
            "rockets.md\n".getBytes(StandardCharsets.UTF_8),
            "sync",
            "--stdin",
            "--index",
            index.toString());
    assertThat(sync.exit()).as(sync.err()).isEqualTo(ExitCodes.ERROR);
    assertThat(sync.err())
        .contains("is being written by another Quarry run")
        .contains(pid)
        .contains("run " + frozen.runId())
        .doesNotContain("no roots");

    for (String mode : List.of("semantic", "hybrid", "lexical")) {
      QuarryCliTest.Run search =
          QuarryCliTest.quarry("search", "rocket", "--mode", mode, "--index", index.toString());
      assertThat(search.exit()).as(mode + ": " + search.err()).isEqualTo(ExitCodes.ERROR);
      assertThat(search.err())
          .as(mode)
          .contains("first run")
          .contains("in progress")
          .contains(pid)
          .contains("nothing is searchable yet")
          .doesNotContain("--no-embed");
    }

    QuarryCliTest.Run status = QuarryCliTest.quarry("status", "--index", index.toString());
    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out())
        .contains("first run in progress (" + pid + ", since ")
        .doesNotContain("lexical only");
    QuarryCliTest.Run statusJson =
        QuarryCliTest.quarry("status", "--index", index.toString(), "--json");
    JsonNode running = JSON.readTree(statusJson.out()).path("running");
    assertThat(running.path("status").asText()).isEqualTo("running");
    assertThat(running.path("pid").asLong()).isEqualTo(frozen.pid());
    assertThat(running.path("id").asLong()).isEqualTo(frozen.runId());

    // Resumed, it finishes; then nothing is in progress and the index says what it holds.
    signal("-CONT", frozen.run());
    assertThat(frozen.run().waitFor(300)).as(frozen.run().output()).isZero();
    QuarryCliTest.Run after = QuarryCliTest.quarry("status", "--index", index.toString());
    assertThat(after.out()).doesNotContain("in progress").contains("model:   all-minilm");
    assertThat(
            JSON.readTree(
                    QuarryCliTest.quarry("status", "--index", index.toString(), "--json").out())
                .path("running")
                .isNull())
        .isTrue();
    QuarryCliTest.Run search =
        QuarryCliTest.quarry("search", "rocket", "--mode", "semantic", "--index", index.toString());
    assertThat(search.exit()).as(search.err()).isZero();
    assertThat(search.out()).contains("rockets.md");
  }

  @Test
  @Tag("hostile")
  void whileAFirstRunCreatesTheIndexReadersSaySoNotThatThereIsNone() throws Exception {
    // Issue 11, item 14: a first run holds the lock a moment before its writer's first commit;
    // readers then found no index and said to run 'quarry index'.
    Path index = Files.createDirectories(work.resolve("creating"));
    IndexLock lock = IndexLock.acquire(index, IndexLock.Holder.current(1, "index"));
    try {
      for (String command : List.of("status", "search", "runs", "files")) {
        List<String> args = new ArrayList<>(List.of(command, "--index", index.toString()));
        if (command.equals("search")) {
          args.add("rocket");
        }
        QuarryCliTest.Run run = QuarryCliTest.quarry(args.toArray(String[]::new));
        assertThat(run.exit()).as(command + ": " + run.err()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err())
            .as(command)
            .contains("first run")
            .contains("pid " + ProcessHandle.current().pid())
            .doesNotContain("quarry index ROOT");
      }
    } finally {
      lock.close();
    }
    QuarryCliTest.Run none = QuarryCliTest.quarry("status", "--index", index.toString());
    assertThat(none.exit()).isEqualTo(ExitCodes.NO_INDEX);
  }
}
