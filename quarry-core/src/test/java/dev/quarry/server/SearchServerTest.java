package dev.quarry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.Quarry;
import dev.quarry.index.QuarryIndex;
import dev.quarry.json.QuarryJson;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.scan.ScanOptions;
import dev.quarry.serve.BearerToken;
import dev.quarry.serve.ServeOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search server over real HTTP on loopback, serving a real index the pipeline builds. */
class SearchServerTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final Duration PATIENCE = Duration.ofMinutes(2);

  @TempDir Path tmp;
  private SearchServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private Path tree() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("tree"));
    Files.writeString(
        root.resolve("retry.md"),
        "# Retry policy\n\nFailed uploads are retried with exponential backoff and jitter.\n");
    Files.writeString(
        root.resolve("cache.md"), "# Caching\n\nAnswers are kept in a bounded in-memory cache.\n");
    return root;
  }

  private SearchServer.Config config(Path root, ServeOptions serve) {
    Path indexDir = tmp.resolve("index");
    SearchServer.Reconciler reconciler =
        control -> Quarry.run(runOptions(root, indexDir)).control(control).index();
    return new SearchServer.Config(
        indexDir, serve, () -> Quarry.search(indexDir).open(), Optional.of(reconciler), true);
  }

  /** A run of the tree with vectors, small on threads: what the tests' servers reconcile. */
  private static IndexOptions runOptions(Path root, Path indexDir) {
    return IndexOptions.of(
            List.of(root),
            indexDir,
            ScanOptions.defaults().withExcludedDirectory(indexDir),
            true,
            "all-minilm-l6-v2-q")
        .withThreads(2)
        .withWorkers(1);
  }

  private SearchServer startReady(Path root) throws Exception {
    server = SearchServer.start(config(root, ServeOptions.loopback(0)));
    server.awaitReconcile(PATIENCE);
    assertThat(server.ready()).isTrue();
    return server;
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(server.baseUri().resolve(pathAndQuery)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String type, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.baseUri().resolve(path))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (type != null) {
      request.header("Content-Type", type);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return QuarryJson.MAPPER.readTree(response.body());
  }

  private static String q(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  @Test
  void listensAtOnceAndIsReadyOnceTheFirstRunHasCommitted() throws Exception {
    server = SearchServer.start(config(tree(), ServeOptions.loopback(0)));
    assertThat(server.baseUri().toString()).isEqualTo("http://127.0.0.1:" + server.port());
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    server.awaitReconcile(PATIENCE);
    HttpResponse<String> ready = get("/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(json(ready).path("status").asText()).isEqualTo("ready");
  }

  @Test
  void withoutAnIndexItIsNotReadyAndSearchesAre503() throws Exception {
    Path indexDir = tmp.resolve("none");
    server =
        SearchServer.start(
            new SearchServer.Config(
                indexDir,
                ServeOptions.loopback(0),
                () -> Quarry.search(indexDir).open(),
                Optional.empty(),
                false));
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    assertThat(get("/readyz").statusCode()).isEqualTo(503);
    HttpResponse<String> search = get("/v1/search?q=retry");
    assertThat(search.statusCode()).isEqualTo(503);
    assertThat(json(search).path("error").asText()).contains("not open yet");
    assertThat(post("/v1/index", "application/json", "{}").statusCode()).isEqualTo(409);
  }

  @Test
  void anIndexWithOnlyItsEmptyFirstCommitIsNotOpenedUntilARunCommitsItsModel() throws Exception {
    Path root = tree();
    Path indexDir = tmp.resolve("index");
    // A writer's first act: an empty commit (no roots, no model), as a run that has just begun.
    QuarryIndex.openForWriting(indexDir).close();
    server =
        SearchServer.start(
            new SearchServer.Config(
                indexDir,
                ServeOptions.loopback(0),
                () -> Quarry.search(indexDir).open(),
                Optional.empty(),
                false));
    HttpResponse<String> search = get("/v1/search?q=retry");
    assertThat(search.statusCode()).isEqualTo(503);
    assertThat(json(search).path("error").asText()).contains("no run has committed");

    // The run commits (another process in real life); the server opens the index with its model.
    Quarry.run(runOptions(root, indexDir)).index();
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (get("/readyz").statusCode() != 200 && System.nanoTime() < deadline) {
      Thread.sleep(50); // polling a condition, with a deadline
    }
    HttpResponse<String> models = get("/v1/models");
    assertThat(models.statusCode()).as(models.body()).isEqualTo(200);
    assertThat(models.body()).contains("all-minilm-l6-v2-q");
  }

  @Test
  void searchesInEveryModeFindTheFileWithTheGeneration() throws Exception {
    startReady(tree());
    for (String mode : List.of("lexical", "semantic", "hybrid")) {
      HttpResponse<String> response = get("/v1/search?q=" + q("retry backoff") + "&mode=" + mode);
      assertThat(response.statusCode()).as(mode).isEqualTo(200);
      JsonNode answer = json(response);
      assertThat(answer.path("mode").asText()).isEqualTo(mode);
      assertThat(answer.path("generation").asLong()).as(mode).isPositive();
      JsonNode first = answer.path("hits").get(0);
      assertThat(first.path("path").asText()).as(mode).isEqualTo("retry.md");
      assertThat(first.path("startLine").asInt()).isPositive();
      assertThat(first.path("endLine").asInt()).isGreaterThanOrEqualTo(1);
      assertThat(first.path("stale").asBoolean()).isFalse();
      assertThat(first.path("snippet").isArray()).isTrue();
    }
    // The three modes asked the same text: one embedding, then the cached vector.
    assertThat(server.queryVectorHitsAndMisses()).containsExactly(1L, 1L);
    HttpResponse<String> posted =
        post(
            "/v1/search",
            "application/json",
            "{\"q\":\"bounded cache\",\"k\":1,\"mode\":\"lexical\",\"path\":\"*.md\"}");
    assertThat(posted.statusCode()).isEqualTo(200);
    assertThat(json(posted).path("hits")).hasSize(1);
    assertThat(json(posted).path("hits").get(0).path("path").asText()).isEqualTo("cache.md");
  }

  @Test
  void metricsShowRequestsByRouteAndModeTheCachesTheIndexAndTheJvm() throws Exception {
    startReady(tree());
    for (int i = 0; i < 3; i++) {
      assertThat(get("/v1/search?q=" + q("retry backoff") + "&mode=lexical").statusCode())
          .isEqualTo(200);
    }
    assertThat(get("/v1/search?q=&mode=lexical").statusCode()).isEqualTo(400);

    HttpResponse<String> metrics = get("/metrics");

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(metrics.body())
        .contains(
            "quarry_http_requests_seconds_count{mode=\"lexical\",route=\"/v1/search\",status=\"200\"} 3")
        .contains(
            "quarry_http_requests_seconds_count{mode=\"none\",route=\"/v1/search\",status=\"400\"} 1")
        .contains("quarry_http_requests_seconds_bucket{") // a latency histogram
        .contains("cache_gets_total{cache=\"quarry.answers\",result=\"hit\"} 2")
        .contains("cache_gets_total{cache=\"quarry.answers\",result=\"miss\"} 1")
        .contains("quarry_indexed_files 2")
        .contains("jvm_memory_used_bytes")
        // GC meters bound at start; jvm_gc_pause_seconds appears only once a collection has run.
        .contains("jvm_gc_memory_allocated_bytes_total")
        .contains("process_cpu_usage")
        .contains("process_files_open_files");
  }

  @Test
  void theOpenApiDescriptionNamesEveryRouteTheServerAnswers() throws Exception {
    startReady(tree());
    HttpResponse<String> described = get("/v1/openapi.json");
    assertThat(described.statusCode()).isEqualTo(200);
    JsonNode paths = json(described).path("paths");
    assertThat(json(described).path("openapi").asText()).startsWith("3.1");
    List<String> routes = new java.util.ArrayList<>();
    paths.fieldNames().forEachRemaining(routes::add);
    for (String route : routes) {
      int status =
          route.equals("/v1/index") ? post(route, null, "").statusCode() : get(route).statusCode();
      assertThat(status).as(route + " is described, so it must be served").isNotEqualTo(404);
    }
    assertThat(routes)
        .contains(
            "/healthz", "/readyz", "/metrics", "/v1/search", "/v1/status", "/v1/runs", "/v1/index");
    assertThat(get("/v1/nothing").statusCode()).isEqualTo(404);
  }

  @Test
  void aReconcilesCommitIsSeenByTheNextSearchNotACachedAnswer() throws Exception {
    Path root = tree();
    startReady(root);
    String zebra = "/v1/search?q=zebra&mode=lexical";
    JsonNode before = json(get(zebra));
    assertThat(before.path("hits")).isEmpty();
    long[] counts = server.cacheHitsAndMisses();
    assertThat(json(get(zebra)).path("hits")).isEmpty();
    assertThat(server.cacheHitsAndMisses()[0]).isEqualTo(counts[0] + 1);

    Files.writeString(root.resolve("zebra.md"), "# Zebra\n\nThe zebra crossing is striped.\n");
    HttpResponse<String> accepted = post("/v1/index", "application/json", "{}");
    assertThat(accepted.statusCode()).isEqualTo(202);
    server.awaitReconcile(PATIENCE);

    JsonNode after = json(get(zebra));
    assertThat(after.path("generation").asLong()).isGreaterThan(before.path("generation").asLong());
    assertThat(after.path("hits").get(0).path("path").asText()).isEqualTo("zebra.md");

    JsonNode status = json(get("/v1/status"));
    assertThat(status.path("index").path("files").asLong()).isEqualTo(3);
    assertThat(status.path("reconciling").asBoolean()).isFalse();
    JsonNode runs = json(get("/v1/runs"));
    assertThat(runs.isArray()).isTrue();
    assertThat(runs.size()).isGreaterThanOrEqualTo(2);
  }

  @Test
  @Tag("hostile")
  void badRequestsGetTheirStatusAndAJsonError() throws Exception {
    startReady(tree());
    record Case(HttpResponse<String> response, int status, String says) {}
    List<Case> cases =
        List.of(
            new Case(get("/v1/search"), 400, "'q' is required"),
            new Case(get("/v1/search?q=x&k=0"), 400, "'k' must be between 1 and 100"),
            new Case(get("/v1/search?q=x&k=101"), 400, "got 101"),
            new Case(get("/v1/search?q=x&k=ten"), 400, "whole number"),
            new Case(get("/v1/search?q=x&mode=fuzzy"), 400, "'fuzzy'"),
            new Case(get("/v1/search?q=" + "a".repeat(5000)), 400, "longer than 4096"),
            new Case(get("/v1/nothing"), 404, "no such endpoint"),
            new Case(get("/v1/index"), 405, "use POST"),
            new Case(post("/v1/search", "text/plain", "{\"q\":\"x\"}"), 415, "application/json"),
            new Case(post("/v1/search", "application/json", "{\"q\":"), 400, "not valid JSON"),
            new Case(post("/v1/search", "application/json", "[1]"), 400, "JSON object"),
            new Case(
                post(
                    "/v1/search",
                    "application/json",
                    "{\"q\":\"" + "x".repeat(SearchRoute.MAX_BODY_BYTES) + "\"}"),
                413,
                "larger than"));
    for (Case c : cases) {
      assertThat(c.response().statusCode()).as(c.says()).isEqualTo(c.status());
      assertThat(c.response().headers().firstValue("Content-Type")).contains("application/json");
      assertThat(json(c.response()).path("error").asText()).contains(c.says());
      assertThat(c.response().headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
  }

  @Test
  @Tag("hostile")
  void offLoopbackATokenIsRequired() throws Exception {
    Path root = tree();
    ServeOptions everywhere = ServeOptions.of(new InetSocketAddress("0.0.0.0", 0));
    assertThatThrownBy(() -> SearchServer.start(config(root, everywhere)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs a token");

    server =
        SearchServer.start(
            config(root, everywhere.withToken(BearerToken.of("s3cret-token-value"))));
    HttpResponse<String> refused = get("/healthz");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(json(refused).path("error").asText()).contains("requires a token");
    HttpResponse<String> wrong =
        HTTP.send(
            HttpRequest.newBuilder(server.baseUri().resolve("/healthz"))
                .header("Authorization", "Bearer nope")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);
    HttpResponse<String> allowed =
        HTTP.send(
            HttpRequest.newBuilder(server.baseUri().resolve("/healthz"))
                .header("Authorization", "Bearer s3cret-token-value")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(allowed.statusCode()).isEqualTo(200);
  }

  @Test
  @Tag("hostile")
  void aForeignOriginIsRefused() throws Exception {
    startReady(tree());
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(server.baseUri().resolve("/v1/search?q=retry"))
                .header("Origin", "https://evil.example")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(403);
  }

  @Test
  void serverJsonIsOwnerOnlyWhileServingAndGoneAfter() throws Exception {
    Path indexDir = Files.createDirectories(tmp.resolve("index"));
    Path file = indexDir.resolve(ServerFile.NAME);
    // A stale file of a dead process is overwritten.
    Files.writeString(
        file,
        "{\"url\":\"http://127.0.0.1:1\",\"pid\":2147483646,\"started\":\"2020-01-01T00:00:00Z\"}");
    server = SearchServer.start(config(tree(), ServeOptions.loopback(0)));
    JsonNode contents = QuarryJson.MAPPER.readTree(Files.readString(file));
    assertThat(contents.path("url").asText()).isEqualTo(server.baseUri().toString());
    assertThat(contents.path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
    assertThat(contents.path("started").asText()).isNotBlank();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    server.awaitReconcile(PATIENCE);
    server.close();
    server = null;
    assertThat(file).doesNotExist();
    assertThat(Quarry.check(indexDir, dev.quarry.check.IndexChecker.Depth.CHECKSUMS).consistent())
        .isTrue();
  }

  @Test
  void aLiveServerOfTheSameIndexIsNotReplaced() throws Exception {
    server = SearchServer.start(config(tree(), ServeOptions.loopback(0)));
    server.awaitReconcile(PATIENCE);
    Path indexDir = tmp.resolve("index");
    // Another live process (this test's parent shell would do; the JVM's own pid is ignored).
    long other = ProcessHandle.current().parent().orElseThrow().pid();
    Files.writeString(
        indexDir.resolve(ServerFile.NAME),
        "{\"url\":\"http://127.0.0.1:9\",\"pid\":"
            + other
            + ",\"started\":\"2020-01-01T00:00:00Z\"}");
    assertThatThrownBy(
            () -> SearchServer.start(config(tmp.resolve("tree"), ServeOptions.loopback(0))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("already serves");
    assertThat(URI.create("http://127.0.0.1:9")).isNotNull();
  }
}
