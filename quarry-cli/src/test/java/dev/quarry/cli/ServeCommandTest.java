package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.Quarry;
import dev.quarry.check.IndexChecker;
import dev.quarry.json.QuarryJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quarry serve ROOT} as a real process: its start-up contract, a search, SIGTERM. */
class ServeCommandTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** Generous: a loaded CI machine starts a JVM and loads the model in seconds, not minutes. */
  private static final Duration PATIENCE = Duration.ofMinutes(2);

  @Test
  void printsItsUrlFirstServesTheIndexAndStopsCleanlyOnSigterm(@TempDir Path work)
      throws Exception {
    Path root = Files.createDirectories(work.resolve("tree"));
    Files.writeString(
        root.resolve("retry.md"), "# Retry policy\n\nUploads are retried with backoff.\n");
    Path stdout = work.resolve("stdout");
    Path stderr = work.resolve("stderr");
    Process serve = serveWithoutWatching(root, stdout, stderr);
    try {
      String url = awaitFirstLine(stdout, serve, stderr);
      assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+");
      assertThat(get(url + "/healthz").statusCode()).isEqualTo(200);
      awaitReady(url, serve, stderr);

      HttpResponse<String> search = get(url + "/v1/search?q=retry&mode=lexical");
      assertThat(search.statusCode()).isEqualTo(200);
      JsonNode answer = QuarryJson.MAPPER.readTree(search.body());
      assertThat(answer.path("hits").get(0).path("path").asText()).isEqualTo("retry.md");
      assertThat(answer.path("generation").asLong()).isPositive();

      Path serverJson = root.resolve(".quarry").resolve("server.json");
      assertThat(QuarryJson.MAPPER.readTree(Files.readString(serverJson)).path("url").asText())
          .isEqualTo(url);

      serve.destroy(); // SIGTERM
      assertThat(serve.waitFor(60, java.util.concurrent.TimeUnit.SECONDS))
          .as(Files.readString(stderr))
          .isTrue();
      assertThat(serve.exitValue()).as(Files.readString(stderr)).isEqualTo(143);
      assertThat(Files.readString(stderr)).contains("server stopped");
      assertThat(serverJson).doesNotExist();
      assertThat(Quarry.check(root.resolve(".quarry"), IndexChecker.Depth.CHECKSUMS).consistent())
          .isTrue();
    } finally {
      serve.destroyForcibly();
    }
  }

  @Test
  void theCliSearchesThroughARunningServerAndPrintsWhatItWouldHavePrinted(@TempDir Path work)
      throws Exception {
    Path root = Files.createDirectories(work.resolve("tree"));
    Files.writeString(
        root.resolve("retry.md"), "# Retry policy\n\nUploads are retried with backoff.\n");
    Files.writeString(root.resolve("cache.md"), "# Caching\n\nAnswers are kept in a cache.\n");
    Path stdout = work.resolve("stdout");
    Path stderr = work.resolve("stderr");
    Process serve = serveWithoutWatching(root, stdout, stderr);
    QuarryCliTest.Run viaServer;
    QuarryCliTest.Run viaServerJson;
    String metrics;
    try {
      String url = awaitFirstLine(stdout, serve, stderr);
      awaitReady(url, serve, stderr);
      awaitHit(url, serve, stderr); // the start-up reconcile has committed

      viaServer = QuarryCliTest.quarry("search", "retried backoff", "--index", root.toString());
      viaServerJson =
          QuarryCliTest.quarry(
              "search", "retried backoff", "--index", root.toString(), "--json", "-k", "1");
      metrics = get(url + "/metrics").body();
    } finally {
      serve.destroy();
      serve.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
      serve.destroyForcibly();
    }
    // The server answered both (hybrid: this process loaded no model for them) ...
    assertThat(metrics)
        .contains(
            "quarry_http_requests_seconds_count{mode=\"hybrid\",route=\"/v1/search\",status=\"200\"} 2")
        // The server's reconcile recorded its run's meters where the server shows them.
        .containsPattern("quarry_index_files_total\\{outcome=\"indexed\"\\} [1-9]");
    // ... and they print what this process prints searching the index itself, the server gone.
    QuarryCliTest.Run local =
        QuarryCliTest.quarry("search", "retried backoff", "--index", root.toString());
    QuarryCliTest.Run localJson =
        QuarryCliTest.quarry(
            "search", "retried backoff", "--index", root.toString(), "--json", "-k", "1");
    assertThat(viaServer.exit()).as(viaServer.err()).isZero();
    assertThat(viaServer.out()).contains("retry.md").isEqualTo(local.out());
    assertThat(viaServerJson.out()).isEqualTo(localJson.out());
  }

  @Test
  void aWatchingServerFollowsEditsToTheTree(@TempDir Path work) throws Exception {
    Path root = Files.createDirectories(work.resolve("tree"));
    Files.writeString(
        root.resolve("retry.md"), "# Retry policy\n\nUploads are retried with backoff.\n");
    Path stdout = work.resolve("stdout");
    Path stderr = work.resolve("stderr");
    Process serve =
        new ProcessBuilder(
                QuarryProcess.command("serve", root.toString(), "--port", "0", "--threads", "1"))
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    try {
      String url = awaitFirstLine(stdout, serve, stderr);
      awaitReady(url, serve, stderr);
      awaitHit(url, serve, stderr);
      JsonNode watch = QuarryJson.MAPPER.readTree(get(url + "/v1/status").body()).path("watch");
      assertThat(watch.path("watching").asBoolean()).as(watch.toString()).isTrue();

      // status through the server: what the index holds, and who serves it.
      QuarryCliTest.Run status = QuarryCliTest.quarry("status", "--index", root.toString());
      assertThat(status.exit()).as(status.err()).isZero();
      assertThat(status.out()).contains("files:   1").contains("served:  by " + url + " (watching");
      QuarryCliTest.Run statusJson =
          QuarryCliTest.quarry("status", "--index", root.toString(), "--json");
      assertThat(QuarryJson.MAPPER.readTree(statusJson.out()).path("files").asLong()).isEqualTo(1);

      // The CLI does not write an index a server keeps live: it names the server.
      QuarryCliTest.Run index = QuarryCliTest.quarry("index", root.toString(), "-q");
      assertThat(index.exit()).isEqualTo(ExitCodes.ERROR);
      assertThat(index.err()).contains("kept live by quarry serve at " + url);

      // A new file, an edit and a deletion, with nobody asking: the watch picks them up.
      Path added = Files.createDirectories(root.resolve("docs")).resolve("queue.md");
      Files.writeString(added, "# Queues\n\nWork waits in a bounded zeppelin queue.\n");
      Files.writeString(root.resolve("retry.md"), "# Retry policy\n\nUploads give up quickly.\n");
      awaitSearch(url, "zeppelin", "docs/queue.md", serve, stderr);
      awaitSearch(url, "quickly", "retry.md", serve, stderr);
      Files.delete(added);
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (get(url + "/v1/search?q=zeppelin&mode=lexical").body().contains("queue.md")) {
        assertThat(System.nanoTime()).as("the deleted file left the index").isLessThan(deadline);
        Thread.sleep(50); // polling a condition, with a deadline
      }
      // The watch, its runs and the process report to /metrics.
      assertThat(get(url + "/metrics").body())
          .containsPattern("quarry_watch_events_total [1-9]")
          .containsPattern("quarry_watch_lag_seconds_count [1-9]")
          .containsPattern("quarry_index_files_total\\{outcome=\"indexed\"\\} [1-9]")
          .containsPattern("quarry_index_files_total\\{outcome=\"deleted\"\\} [1-9]")
          .contains("process_resident_memory_bytes");
    } finally {
      serve.destroy();
      serve.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
      serve.destroyForcibly();
    }
    assertThat(serve.exitValue()).as(Files.readString(stderr)).isEqualTo(143);
    assertThat(Quarry.check(root.resolve(".quarry"), IndexChecker.Depth.CHECKSUMS).consistent())
        .isTrue();
  }

  /** {@code quarry serve ROOT --port 0 --no-watch --threads 1}, its output into the two files. */
  private static Process serveWithoutWatching(Path root, Path stdout, Path stderr)
      throws IOException {
    return new ProcessBuilder(
            QuarryProcess.command(
                "serve", root.toString(), "--port", "0", "--no-watch", "--threads", "1"))
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile())
        .start();
  }

  private static void awaitSearch(
      String url, String word, String path, Process process, Path stderr) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      if (get(url + "/v1/search?q=" + word + "&mode=lexical").body().contains(path)) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("serve exited: " + Files.readString(stderr));
      }
      Thread.sleep(50); // polling a condition, with a deadline
    }
    throw new AssertionError(word + " not found in " + path + ": " + Files.readString(stderr));
  }

  /** Waits until a lexical search of the served index finds retry.md. */
  private static void awaitHit(String url, Process process, Path stderr) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      if (get(url + "/v1/search?q=retried&mode=lexical").body().contains("retry.md")) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("serve exited: " + Files.readString(stderr));
      }
      Thread.sleep(50); // polling a condition, with a deadline
    }
    throw new AssertionError("nothing found within " + PATIENCE + ": " + Files.readString(stderr));
  }

  @Test
  void theSearchServerServesItsModelsVectorsAndARemoteEmbedderSearchesWithThem(@TempDir Path work)
      throws Exception {
    Path root = Files.createDirectories(work.resolve("tree"));
    Files.writeString(
        root.resolve("rockets.md"), "# Rockets\n\nHow to launch a rocket safely into orbit.\n");
    Files.writeString(root.resolve("soup.md"), "# Soup\n\nA recipe for tomato soup with basil.\n");
    Path stdout = work.resolve("stdout");
    Path stderr = work.resolve("stderr");
    Process serve = serveWithoutWatching(root, stdout, stderr);
    try {
      String url = awaitFirstLine(stdout, serve, stderr);
      awaitReady(url, serve, stderr);
      awaitSearch(url, "rocket", "rockets.md", serve, stderr);

      // One process serves search and vectors: the OpenAI contract of serve --embeddings.
      HttpResponse<String> vectors =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url + "/v1/embeddings"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"input\":[\"a\",\"b\"]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(vectors.statusCode()).as(vectors.body()).isEqualTo(200);
      JsonNode data = QuarryJson.MAPPER.readTree(vectors.body()).path("data");
      assertThat(data).hasSize(2);
      assertThat(data.get(1).path("embedding")).hasSize(384);

      // A remote embedder pointed at the server searches the same index as the server does.
      QuarryCliTest.Run remote =
          QuarryCliTest.quarry(
              "search",
              "--index",
              root.resolve(".quarry").toString(),
              "--embedder",
              "openai:" + url,
              "--mode",
              "semantic",
              "--json",
              "spacecraft takeoff");
      assertThat(remote.exit()).as(remote.err()).isZero();
      JsonNode remoteHit = QuarryJson.MAPPER.readTree(remote.out()).path("hits").get(0);
      assertThat(remoteHit.path("path").asText()).isEqualTo("rockets.md");
      JsonNode servedHit =
          QuarryJson.MAPPER
              .readTree(get(url + "/v1/search?q=spacecraft+takeoff&mode=semantic").body())
              .path("hits")
              .get(0);
      assertThat(remoteHit.path("score").asDouble())
          .isCloseTo(servedHit.path("score").asDouble(), org.assertj.core.data.Offset.offset(1e-3));
    } finally {
      serve.destroy();
      serve.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
      serve.destroyForcibly();
    }
  }

  @Test
  void refusesToServeOffLoopbackWithoutAToken(@TempDir Path work) throws Exception {
    Path root = Files.createDirectories(work.resolve("tree"));
    QuarryProcess serve =
        QuarryProcess.start(
            work,
            java.util.Map.of("QUARRY_SERVE_TOKEN", ""),
            "serve",
            root.toString(),
            "--host",
            "0.0.0.0",
            "--port",
            "0");
    assertThat(serve.waitFor(60)).as(serve.output()).isEqualTo(ExitCodes.USAGE);
    assertThat(serve.output()).contains("not loopback");
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String awaitFirstLine(Path stdout, Process process, Path stderr) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      List<String> lines = Files.readAllLines(stdout, StandardCharsets.UTF_8);
      if (!lines.isEmpty() && Files.readString(stdout).contains("\n")) {
        return lines.get(0);
      }
      if (!process.isAlive()) {
        throw new AssertionError("serve exited: " + Files.readString(stderr));
      }
      Thread.onSpinWait();
      Thread.sleep(20); // polling a condition, with a deadline
    }
    throw new AssertionError("no URL within " + PATIENCE + ": " + Files.readString(stderr));
  }

  private static void awaitReady(String url, Process process, Path stderr) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      if (get(url + "/readyz").statusCode() == 200) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("serve exited: " + Files.readString(stderr));
      }
      Thread.sleep(50); // polling a condition, with a deadline
    }
    throw new AssertionError("not ready within " + PATIENCE + ": " + Files.readString(stderr));
  }
}
