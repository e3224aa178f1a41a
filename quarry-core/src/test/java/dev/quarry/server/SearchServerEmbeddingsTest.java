package dev.quarry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.Quarry;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.json.QuarryJson;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.scan.ScanOptions;
import dev.quarry.serve.EmbeddingContractTest;
import dev.quarry.serve.ServeOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search server serves the vectors of its index's model by the same contract as {@code quarry
 * serve --embeddings} (every test of {@link EmbeddingContractTest} runs against it, over a real
 * index the pipeline built with the local model), and says clearly when its index has none.
 */
class SearchServerEmbeddingsTest extends EmbeddingContractTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir static Path tmp;

  /** Indexes a two-file tree once (with vectors, or without), returning the index folder. */
  private Path index(String name, boolean embed) throws IOException, InterruptedException {
    Path indexDir = tmp.resolve(name);
    if (!Quarry.isIndex(indexDir)) {
      Path root = Files.createDirectories(tmp.resolve("tree"));
      Files.writeString(
          root.resolve("retry.md"),
          "# Retry policy\n\nFailed uploads are retried with exponential backoff and jitter.\n");
      Files.writeString(
          root.resolve("rockets.md"), "# Rockets\n\nHow to launch a rocket safely into orbit.\n");
      Quarry.run(
              IndexOptions.of(
                      List.of(root),
                      indexDir,
                      ScanOptions.defaults(),
                      embed,
                      EmbeddingModels.DEFAULT)
                  .withThreads(2)
                  .withWorkers(1))
          .index();
    }
    return indexDir;
  }

  private static SearchServer serveIndex(Path indexDir, ServeOptions options) throws IOException {
    return SearchServer.start(
        new SearchServer.Config(
            indexDir, options, () -> Quarry.search(indexDir).open(), Optional.empty(), false));
  }

  @Override
  protected Served serve(EmbeddingModel model, ServeOptions options) throws Exception {
    // The index's model is the one the contract compares with: the default local model.
    assertThat(model.identity().name()).isEqualTo(EmbeddingModels.DEFAULT);
    SearchServer server = serveIndex(index("index", true), options);
    assertThat(server.ready()).isTrue();
    return new Served() {
      @Override
      public URI v1() {
        return server.baseUri().resolve("/v1");
      }

      @Override
      public void close() {
        server.close();
      }
    };
  }

  private static HttpResponse<String> send(URI uri, String method, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anIndexWithoutVectorsSaysItHasNoModelAndWhereVectorsAre() throws Exception {
    try (SearchServer server = serveIndex(index("lexical", false), ServeOptions.loopback(0))) {
      assertThat(server.ready()).isTrue();
      for (String path : List.of("/v1/embeddings", "/v1/models")) {
        HttpResponse<String> answer =
            path.endsWith("models")
                ? send(server.baseUri().resolve(path), "GET", null)
                : send(server.baseUri().resolve(path), "POST", "{\"input\":\"a\"}");
        assertThat(answer.statusCode()).as(path).isEqualTo(409);
        JsonNode error = QuarryJson.MAPPER.readTree(answer.body()).path("error");
        assertThat(error.path("code").asText()).as(path).isEqualTo("no_model");
        assertThat(error.path("message").asText())
            .as(path)
            .contains("this index has no embedding model")
            .contains("quarry serve --embeddings");
      }
      // Searching goes on as before.
      assertThat(
              send(server.baseUri().resolve("/v1/search?q=retry&mode=lexical"), "GET", null)
                  .statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void theRoutesAreDescribedAndMetered() throws Exception {
    try (SearchServer server = serveIndex(index("index", true), ServeOptions.loopback(0))) {
      JsonNode described =
          QuarryJson.MAPPER.readTree(
              send(server.baseUri().resolve("/v1/openapi.json"), "GET", null).body());
      assertThat(described.path("paths").has("/v1/embeddings")).isTrue();
      assertThat(described.path("paths").has("/v1/models")).isTrue();
      assertThat(send(server.baseUri().resolve("/v1/models"), "GET", null).statusCode())
          .isEqualTo(200);
      assertThat(send(server.baseUri().resolve("/v1/embeddings"), "GET", null).statusCode())
          .isEqualTo(405);
      String meters = send(server.baseUri().resolve("/metrics"), "GET", null).body();
      assertThat(meters)
          .contains("route=\"/v1/models\"")
          .contains("route=\"/v1/embeddings\"")
          .doesNotContain("route=\"other\"");
    }
  }

  @Test
  @Tag("hostile")
  void aForeignOriginIsRefusedInOpenAisShape() throws Exception {
    try (SearchServer server = serveIndex(index("index", true), ServeOptions.loopback(0))) {
      HttpResponse<String> answer =
          HTTP.send(
              HttpRequest.newBuilder(server.baseUri().resolve("/v1/embeddings"))
                  .header("Content-Type", "application/json")
                  .header("Origin", "https://evil.example")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"input\":\"a\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(403);
      JsonNode error = QuarryJson.MAPPER.readTree(answer.body()).path("error");
      assertThat(error.path("message").asText()).contains("Origin 'https://evil.example'");
      assertThat(error.path("code").asText()).isEqualTo("forbidden_origin");
    }
  }
}
