package dev.quarry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.Quarry;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.json.QuarryJson;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.scan.ScanOptions;
import dev.quarry.serve.ServeOptions;
import dev.quarry.watch.LiveIndex;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watching server as {@code quarry serve} wires it (one {@link ServerTelemetry} for the server,
 * the live index and its runs), over real HTTP: /v1/status shows the run in progress while a
 * listener holds it, and /metrics the watch's, the runs' and the process's meters after an edit.
 */
class ServedTelemetryTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir Path tmp;
  private ServerTelemetry telemetry;
  private LiveIndex live;
  private SearchServer server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (live != null) {
      live.close();
    }
    if (telemetry != null) {
      telemetry.close();
    }
  }

  @Test
  void statusShowsTheRunInProgressAndMetricsTheWatchTheRunsAndTheProcess() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("tree")).toRealPath();
    Path indexDir = tmp.resolve("index");
    Files.writeString(root.resolve("retry.md"), "# Retry\n\nUploads are retried with backoff.\n");
    Files.writeString(root.resolve("cache.md"), "# Cache\n\nAnswers are kept in a cache.\n");
    IndexOptions options =
        IndexOptions.of(
                List.of(root),
                indexDir,
                ScanOptions.defaults().withExcludedDirectory(indexDir),
                false,
                EmbeddingModels.DEFAULT)
            .withWorkers(1);
    RunGate gate = new RunGate();
    telemetry = ServerTelemetry.create();
    live =
        LiveIndex.start(
            options,
            run -> telemetry.observe(run.listener(gate)),
            telemetry.registry(),
            line -> {});
    LiveIndex watched = live;
    server =
        SearchServer.start(
            new SearchServer.Config(
                indexDir,
                ServeOptions.loopback(0),
                () -> Quarry.search(indexDir).withModel(false).open(),
                Optional.of(control -> watched.reconcile("asked for over HTTP")),
                false,
                Optional.of(live::status),
                Optional.of(telemetry)));
    await(
        "the start-up reconcile", () -> live.status().reconcileRuns() == 1 && live.status().idle());
    await("the server is ready", () -> get("/readyz").statusCode() == 200);
    assertThat(status().path("run").isNull()).isTrue();

    gate.arm();
    Files.writeString(root.resolve("retry.md"), "# Retry\n\nUploads are retried with jitter.\n");
    assertThat(gate.reached.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

    JsonNode during = status();
    JsonNode run = during.path("run");
    assertThat(run.path("kind").asText()).isEqualTo("sync");
    assertThat(run.path("filesDone").asLong()).isEqualTo(1);
    assertThat(run.path("filesFound").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(run.path("indexed").asLong()).isEqualTo(1);
    assertThat(run.path("chunksWritten").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(Instant.parse(run.path("startedAt").asText())).isBeforeOrEqualTo(Instant.now());
    assertThat(run.path("elapsedSeconds").asDouble()).isGreaterThanOrEqualTo(0);
    assertThat(during.path("watch").path("running").asText()).isEqualTo("sync");

    gate.open();
    await("the edit applied", () -> live.status().syncRuns() >= 1 && live.status().idle());
    long syncs = live.status().syncRuns();

    JsonNode after = status();
    assertThat(after.path("run").isNull()).isTrue();
    assertThat(after.path("lastCommit").path("generation").asLong()).isPositive();
    assertThat(Instant.parse(after.path("lastCommit").path("at").asText()))
        .isAfterOrEqualTo(Instant.parse(run.path("startedAt").asText()));

    String metrics = get("/metrics").body();
    // The watch: events, one batch per sync run, the lag of each, the start-up reconcile.
    assertThat(value(metrics, "quarry_watch_events_total")).isGreaterThanOrEqualTo(1);
    assertThat(value(metrics, "quarry_watch_batch_paths_count")).isEqualTo(syncs);
    assertThat(value(metrics, "quarry_watch_batch_paths_sum")).isGreaterThanOrEqualTo(syncs);
    assertThat(value(metrics, "quarry_watch_lag_seconds_count")).isEqualTo(syncs);
    assertThat(value(metrics, "quarry_watch_lag_seconds_sum")).isPositive();
    assertThat(metrics).contains("quarry_watch_lag_seconds_bucket{");
    assertThat(value(metrics, "quarry_watch_reconciles_total")).isEqualTo(1);
    assertThat(value(metrics, "quarry_watch_failures_total")).isZero();
    // The runs' own meters: the start-up reconcile indexed two files, the sync one more.
    assertThat(value(metrics, "quarry_index_files_total{outcome=\"indexed\"}"))
        .isGreaterThanOrEqualTo(3);
    assertThat(value(metrics, "quarry_index_runs_seconds_count")).isEqualTo(1 + syncs);
    assertThat(metrics).contains("quarry_index_stage_seconds_count{stage=\"work\"}");
    // The index and the process.
    assertThat(value(metrics, "quarry_indexed_files")).isEqualTo(2);
    assertThat(value(metrics, "quarry_indexed_size_bytes")).isPositive();
    if (Files.isReadable(Path.of("/proc/self/status"))) {
      assertThat(value(metrics, "process_resident_memory_bytes")).isPositive();
      assertThat(value(metrics, "process_virtual_memory_bytes"))
          .isGreaterThan(value(metrics, "process_resident_memory_bytes"));
    }
    assertThat(metrics).contains("jvm_memory_used_bytes").contains("process_files_open_files");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(server.baseUri().resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode status() throws Exception {
    HttpResponse<String> response = get("/v1/status");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return QuarryJson.MAPPER.readTree(response.body());
  }

  /** The value of the sample {@code name} (with its labels, if given) in Prometheus text. */
  private static double value(String metrics, String name) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? (\\S+)$")
            .matcher(metrics);
    assertThat(m.find()).as("%s in%n%s", name, metrics).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static void await(String what, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + LIMIT + ": " + what);
      }
      Thread.sleep(20);
    }
  }
}
