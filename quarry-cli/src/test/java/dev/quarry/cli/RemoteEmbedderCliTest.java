package dev.quarry.cli;

import static dev.quarry.cli.QuarryCliTest.quarry;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.index.QuarryIndex;
import dev.quarry.serve.EmbeddingServer;
import dev.quarry.store.IndexMetadata;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code index} and {@code search} with {@code --embedder openai:URL} against a real Quarry
 * embeddings server on loopback: the index records the served model's identity (the local model's),
 * so local and remote runs share it.
 */
class RemoteEmbedderCliTest {
  static EmbeddingModel model;
  static EmbeddingServer server;
  final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    model = EmbeddingModels.load(EmbeddingModels.DEFAULT, 2);
    server =
        EmbeddingServer.start(model, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  @AfterAll
  static void stop() {
    server.close();
    model.close();
  }

  @Test
  void indexAndSearchThroughAServerShareTheIndexWithLocalRuns(@TempDir Path tree) throws Exception {
    Files.writeString(
        tree.resolve("rockets.md"), "# Rockets\n\nHow to launch a rocket safely into orbit.\n");
    Files.writeString(tree.resolve("soup.md"), "# Soup\n\nA recipe for tomato soup with basil.\n");
    String embedder = "openai:" + server.baseUri();

    QuarryCliTest.Run index =
        quarry("index", tree.toString(), "--embedder", embedder, "--json", "-q");
    assertThat(index.exit()).as(index.err()).isZero();
    JsonNode summary = json.readTree(index.out());
    assertThat(summary.at("/chunks/embedded").asLong()).isEqualTo(2);
    try (QuarryIndex opened = QuarryIndex.openForReading(tree.resolve(".quarry"))) {
      assertThat(opened.commitData().get(IndexMetadata.MODEL)).isEqualTo(model.identity().id());
    }

    QuarryCliTest.Run remote =
        quarry(
            "search",
            "--index",
            tree.resolve(".quarry").toString(),
            "--embedder",
            embedder,
            "--mode",
            "semantic",
            "--json",
            "spacecraft",
            "takeoff");
    assertThat(remote.exit()).as(remote.err()).isZero();
    QuarryCliTest.Run local =
        quarry(
            "search",
            "--index",
            tree.resolve(".quarry").toString(),
            "--mode",
            "semantic",
            "--json",
            "spacecraft",
            "takeoff");
    assertThat(local.exit()).as(local.err()).isZero();
    JsonNode remoteHits = json.readTree(remote.out()).get("hits");
    assertThat(remoteHits.get(0).get("path").asText()).isEqualTo("rockets.md");
    assertThat(remoteHits.get(0).get("score").asDouble())
        .isCloseTo(
            json.readTree(local.out()).get("hits").get(0).get("score").asDouble(),
            org.assertj.core.data.Offset.offset(1e-3));

    // Another server answering for the same model name gives other vectors: refused, naming both.
    HttpServer other = otherServer();
    try {
      QuarryCliTest.Run mismatch =
          quarry(
              "search",
              "--index",
              tree.resolve(".quarry").toString(),
              "--embedder",
              "openai:http://127.0.0.1:" + other.getAddress().getPort(),
              "--mode",
              "semantic",
              "rocket");
      assertThat(mismatch.exit()).isEqualTo(ExitCodes.USAGE);
      assertThat(mismatch.err())
          .contains("holds vectors of " + model.identity().id())
          .contains("gives all-minilm-l6-v2-q@remote;dim=8");
    } finally {
      other.stop(0);
    }

    // A local run over the same index finds nothing changed: same model identity, vectors reused.
    QuarryCliTest.Run again = quarry("index", tree.toString(), "--json", "-q");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(json.readTree(again.out()).at("/files/unchanged").asLong()).isEqualTo(2);
  }

  /**
   * An OpenAI-style endpoint that is not Quarry (no {@code /v1/models}): vectors of 8 dimensions
   * counting letters, so texts sharing letters are near.
   */
  static HttpServer otherServer() throws IOException {
    HttpServer http =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    http.createContext(
        "/v1/embeddings",
        exchange -> {
          try (exchange) {
            JsonNode request = new ObjectMapper().readTree(exchange.getRequestBody());
            StringBuilder body = new StringBuilder("{\"object\":\"list\",\"data\":[");
            for (int i = 0; i < request.get("input").size(); i++) {
              String text = request.get("input").get(i).asText().toLowerCase(java.util.Locale.ROOT);
              float[] v = new float[8];
              text.chars().filter(Character::isLetter).forEach(c -> v[c % 8]++);
              body.append(i == 0 ? "" : ",")
                  .append("{\"index\":")
                  .append(i)
                  .append(",\"embedding\":")
                  .append(java.util.Arrays.toString(v))
                  .append('}');
            }
            byte[] bytes = body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
          }
        });
    http.start();
    return http;
  }

  @Test
  void anotherServersModelGetsARemoteIdentityThatSearchAndSyncMustMatch(@TempDir Path tree)
      throws Exception {
    HttpServer other = otherServer();
    try {
      Files.writeString(
          tree.resolve("rockets.md"), "# Rockets\n\nHow to launch a rocket safely into orbit.\n");
      String embedder = "openai:http://127.0.0.1:" + other.getAddress().getPort() + "/v1";
      String index = tree.resolve(".quarry").toString();
      QuarryCliTest.Run run =
          quarry(
              "index",
              tree.toString(),
              "--embedder",
              embedder,
              "--model",
              "letters-8",
              "--json",
              "-q");
      assertThat(run.exit()).as(run.err()).isZero();
      try (QuarryIndex opened = QuarryIndex.openForReading(tree.resolve(".quarry"))) {
        assertThat(opened.commitData().get(IndexMetadata.MODEL))
            .isEqualTo("letters-8@remote;dim=8;max=512;pool=remote;norm=true");
      }
      QuarryCliTest.Run search =
          quarry(
              "search",
              "--index",
              index,
              "--embedder",
              embedder,
              "--mode",
              "semantic",
              "--json",
              "rocket");
      assertThat(search.exit()).as(search.err()).isZero();
      assertThat(json.readTree(search.out()).get("hits")).hasSize(1);

      // The Quarry server does not serve that model: its refusal is the error.
      QuarryCliTest.Run notServed =
          quarry(
              "search",
              "--index",
              index,
              "--embedder",
              "openai:" + server.baseUri(),
              "--mode",
              "semantic",
              "rocket");
      assertThat(notServed.exit()).isEqualTo(ExitCodes.ERROR);
      assertThat(notServed.err()).contains("HTTP 404: model 'letters-8' is not served here");

      Files.writeString(tree.resolve("rockets.md"), "# Rockets\n\nHow to land a rocket.\n");
      QuarryCliTest.Run sync =
          SyncCommandTest.quarryWithInput(
              "M\trockets.md\n".getBytes(StandardCharsets.UTF_8),
              "sync",
              "--stdin",
              "--index",
              index,
              "--embedder",
              embedder,
              "--json");
      assertThat(sync.exit()).as(sync.err()).isZero();
      assertThat(json.readTree(sync.out()).at("/chunks/embedded").asLong()).isEqualTo(1);
    } finally {
      other.stop(0);
    }
  }

  @Test
  void anUnreachableEndpointIsAnErrorNamingIt(@TempDir Path tree) throws Exception {
    Files.writeString(tree.resolve("a.md"), "# A\n\ntext\n");
    QuarryCliTest.Run run =
        quarry("index", tree.toString(), "--embedder", "openai:http://127.0.0.1:9/v1", "-q");
    assertThat(run.exit()).isEqualTo(ExitCodes.ERROR);
    assertThat(run.err()).contains("http://127.0.0.1:9/v1/embeddings");
  }
}
