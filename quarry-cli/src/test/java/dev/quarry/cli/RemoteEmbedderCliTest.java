package dev.quarry.cli;

import static dev.quarry.cli.QuarryCliTest.quarry;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.index.IndexMetadata;
import dev.quarry.index.QuarryIndex;
import dev.quarry.serve.EmbeddingServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code index} and {@code search} with {@code --embedder openai:URL} against a real Quarry
 * embeddings server on loopback: the index records the served model's identity (the local
 * model's), so local and remote runs share it.
 */
class RemoteEmbedderCliTest {
  static EmbeddingModel model;
  static EmbeddingServer server;
  final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    model = EmbeddingModels.load(EmbeddingModels.DEFAULT, 2);
    server = EmbeddingServer.start(model, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  @AfterAll
  static void stop() {
    server.close();
    model.close();
  }

  @Test
  void indexAndSearchThroughAServerShareTheIndexWithLocalRuns(@TempDir Path tree) throws Exception {
    Files.writeString(tree.resolve("rockets.md"), "# Rockets\n\nHow to launch a rocket safely into orbit.\n");
    Files.writeString(tree.resolve("soup.md"), "# Soup\n\nA recipe for tomato soup with basil.\n");
    String embedder = "openai:" + server.baseUri();

    QuarryCliTest.Run index = quarry("index", tree.toString(), "--embedder", embedder, "--json", "-q");
    assertThat(index.exit()).as(index.err()).isZero();
    JsonNode summary = json.readTree(index.out());
    assertThat(summary.at("/chunks/embedded").asLong()).isEqualTo(2);
    try (QuarryIndex opened = QuarryIndex.openForReading(tree.resolve(".quarry"))) {
      assertThat(opened.commitData().get(IndexMetadata.MODEL)).isEqualTo(model.identity().id());
    }

    QuarryCliTest.Run remote = quarry("search", "--index", tree.resolve(".quarry").toString(), "--embedder", embedder,
        "--mode", "semantic", "--json", "spacecraft", "takeoff");
    assertThat(remote.exit()).as(remote.err()).isZero();
    QuarryCliTest.Run local = quarry("search", "--index", tree.resolve(".quarry").toString(), "--mode", "semantic",
        "--json", "spacecraft", "takeoff");
    assertThat(local.exit()).as(local.err()).isZero();
    JsonNode remoteHits = json.readTree(remote.out()).get("hits");
    assertThat(remoteHits.get(0).get("path").asText()).isEqualTo("rockets.md");
    assertThat(remoteHits.get(0).get("score").asDouble())
        .isCloseTo(json.readTree(local.out()).get("hits").get(0).get("score").asDouble(), org.assertj.core.data.Offset.offset(1e-3));

    // A local run over the same index finds nothing changed: same model identity, vectors reused.
    QuarryCliTest.Run again = quarry("index", tree.toString(), "--json", "-q");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(json.readTree(again.out()).at("/files/unchanged").asLong()).isEqualTo(2);
  }

  @Test
  void anUnreachableEndpointIsAnErrorNamingIt(@TempDir Path tree) throws Exception {
    Files.writeString(tree.resolve("a.md"), "# A\n\ntext\n");
    QuarryCliTest.Run run = quarry("index", tree.toString(), "--embedder", "openai:http://127.0.0.1:9/v1", "-q");
    assertThat(run.exit()).isEqualTo(ExitCodes.ERROR);
    assertThat(run.err()).contains("http://127.0.0.1:9/v1/embeddings");
  }
}
