package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.Quarry;
import dev.quarry.check.IndexChecker;
import dev.quarry.json.QuarryJson;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code quarry serve} process stopped while a watch-driven update runs (issue 12): killed
 * with SIGKILL, then served again, the index is what a fresh {@code quarry index} gives; stopped
 * with SIGTERM, it answers the requests it has, commits and exits 143 without its server.json.
 * Lexical (the index is made with --no-embed, which a server keeps): no model is loaded.
 */
@Tag("hostile")
class ServeFaultsTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final Duration PATIENCE = Duration.ofMinutes(2);

  /** Files written at once while served: enough for a sync of a few seconds on a slow machine. */
  private static final int UPDATE = 600;

  @TempDir Path work;

  @Test
  void killedDuringAWatchedUpdateThenServedAgainGivesWhatAFreshIndexGives() throws Exception {
    Path tree = work.resolve("tree");
    Path index = work.resolve("index");
    TestTrees.mixed(tree, 30, 7);
    index(tree, index);

    Served first = Served.start(work, tree, index);
    try {
      first.awaitIdle();
      TestTrees.mixed(tree.resolve("update"), UPDATE, 8);
      first.awaitRunning(); // the watch-driven update is under way
      first.process.destroyForcibly(); // SIGKILL: no commit, no unlock, server.json left
      assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      first.process.destroyForcibly();
    }
    assertThat(Quarry.check(index, IndexChecker.Depth.CHECKSUMS).consistent()).isTrue();

    Served again = Served.start(work, tree, index);
    try {
      again.awaitIdle();
      assertThat(again.watch().path("problem").isNull()).as(again.stderr()).isTrue();
    } finally {
      again.stop();
    }
    Path fresh = work.resolve("fresh");
    index(tree, fresh);
    assertThat(IndexContents.read(index).files()).isEqualTo(IndexContents.read(fresh).files());
  }

  @Test
  void sigtermDuringAWatchedUpdateAnswersCommitsAndExitsCleanly() throws Exception {
    Path tree = work.resolve("tree");
    Path index = work.resolve("index");
    TestTrees.mixed(tree, 30, 9);
    index(tree, index);

    Served served = Served.start(work, tree, index);
    List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
    try {
      served.awaitIdle();
      TestTrees.mixed(tree.resolve("update"), UPDATE, 10);
      served.awaitRunning();
      for (int i = 0; i < 8; i++) {
        inFlight.add(
            HTTP.sendAsync(
                HttpRequest.newBuilder(URI.create(served.url + "/v1/search?q=retry&mode=lexical"))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      served.process.destroy(); // SIGTERM
      assertThat(served.process.waitFor(60, TimeUnit.SECONDS)).as(served.stderr()).isTrue();
    } finally {
      served.process.destroyForcibly();
    }
    assertThat(served.process.exitValue()).as(served.stderr()).isEqualTo(143);
    assertThat(served.stderr()).contains("server stopped");
    assertThat(index.resolve("server.json")).doesNotExist();
    // Each request was answered in full; or, come after the stop began, refused: a 503 closing
    // the connection (Jetty's graceful stop), or no connection at all once it stopped listening.
    for (CompletableFuture<HttpResponse<String>> request : inFlight) {
      try {
        HttpResponse<String> answer = request.join();
        if (answer.statusCode() != 200) {
          assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
          assertThat(answer.headers().firstValue("connection")).contains("close");
        }
      } catch (CompletionException e) {
        assertThat(e.getCause()).isInstanceOf(ConnectException.class);
      }
    }
    assertThat(Quarry.check(index, IndexChecker.Depth.CHECKSUMS).consistent()).isTrue();
    assertThat(Quarry.runInProgress(index)).isEmpty();

    // What the sync committed stays; a run finishes the rest, as a fresh index would have it.
    index(tree, index);
    Path fresh = work.resolve("fresh");
    index(tree, fresh);
    assertThat(IndexContents.read(index).files()).isEqualTo(IndexContents.read(fresh).files());
  }

  @Test
  void aRootRemovedWhileServedKeepsTheIndexAndSaysSoOnStderrStatusAndQuarryStatus()
      throws Exception {
    Path tree = work.resolve("tree");
    Path index = work.resolve("index"); // outside the root: removing the root leaves it
    TestTrees.mixed(tree, 10, 11);
    Files.writeString(tree.resolve("quokka.txt"), "the quokka is indexed");
    index(tree, index);
    Served served = Served.start(work, tree, index);
    try {
      served.awaitIdle();
      try (var paths = Files.walk(tree)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
      served.await("the root reported gone", w -> w.path("problem").asText().contains("gone"));
      assertThat(served.watch().path("problem").asText()).startsWith("root " + tree + " is gone");
      assertThat(served.stderr()).contains("quarry: watch: root " + tree + " is gone");
      assertThat(served.get("/v1/search?q=quokka&mode=lexical").body()).contains("quokka.txt");
      QuarryCliTest.Run status = QuarryCliTest.quarry("status", "--index", index.toString());
      assertThat(status.out()).contains("files:   11").contains("problem: root " + tree);
      served.stop();
    } finally {
      served.process.destroyForcibly();
    }
  }

  private void index(Path tree, Path index) throws Exception {
    QuarryProcess run =
        QuarryProcess.start(
            work,
            "index",
            tree.toString(),
            "--index",
            index.toString(),
            "--no-embed",
            "--cache-dir",
            "off",
            "-q");
    assertThat(run.waitFor(300)).as(run.output()).isZero();
  }

  /** A {@code quarry serve} process watching {@code tree}, its URL read (FullDiskTest too). */
  record Served(Process process, String url, Path stdout, Path stderrFile) {
    static Served start(Path work, Path tree, Path index) throws Exception {
      Path stdout = Files.createTempFile(work, "serve-", ".out");
      Path stderr = Files.createTempFile(work, "serve-", ".err");
      Process process =
          new ProcessBuilder(
                  QuarryProcess.command(
                      "serve",
                      tree.toString(),
                      "--index",
                      index.toString(),
                      "--port",
                      "0",
                      "--threads",
                      "1"))
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile())
              .start();
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (true) {
        String out = Files.readString(stdout, StandardCharsets.UTF_8);
        if (out.contains("\n")) {
          return new Served(process, out.lines().findFirst().orElseThrow(), stdout, stderr);
        }
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError("no URL: " + Files.readString(stderr));
        }
        Thread.sleep(20); // polling a condition, with a deadline
      }
    }

    String stderr() {
      try {
        return Files.readString(stderrFile, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(unreadable: " + e + ")";
      }
    }

    JsonNode watch() throws Exception {
      return QuarryJson.MAPPER.readTree(get("/v1/status").body()).path("watch");
    }

    HttpResponse<String> get(String pathAndQuery) throws Exception {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create(url + pathAndQuery)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    }

    /** Until the start-up reconcile is done and nothing is pending or running. */
    void awaitIdle() throws Exception {
      await("idle", w -> w.path("reconcileRuns").asLong() >= 1 && idle(w));
    }

    /**
     * Until a run (a sync, or a reconcile if the events overflowed) is in progress; or, on a
     * machine fast enough to finish one between two looks, has finished since (the next is then
     * awaited).
     */
    void awaitRunning() throws Exception {
      long before = runs(watch());
      await("a run in progress", w -> !w.path("running").isNull() || runs(w) > before + 1);
    }

    private static long runs(JsonNode w) {
      return w.path("syncRuns").asLong() + w.path("reconcileRuns").asLong();
    }

    private static boolean idle(JsonNode w) {
      return w.path("pendingPaths").asInt() == 0
          && w.path("pendingReconcile").isNull()
          && w.path("running").isNull();
    }

    void await(String what, java.util.function.Predicate<JsonNode> condition) throws Exception {
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (!condition.test(watch())) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError("not " + what + ": " + watch() + "\n" + stderr());
        }
        Thread.sleep(10); // polling a condition, with a deadline
      }
    }

    void stop() throws Exception {
      process.destroy();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(stderr()).isTrue();
      assertThat(process.exitValue()).as(stderr()).isEqualTo(143);
    }
  }
}
