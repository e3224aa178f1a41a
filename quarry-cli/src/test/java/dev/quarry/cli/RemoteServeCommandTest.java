package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quarry serve --embeddings} as a real process: prints its URL, answers, stops on SIGTERM.
 */
class RemoteServeCommandTest {
  static final Pattern URL = Pattern.compile("serving (\\S+) at (http://\\S+)");

  @Test
  void servesOnLoopbackPrintsItsUrlAndStopsGracefullyOnASignal(@TempDir Path work)
      throws Exception {
    QuarryProcess serve =
        QuarryProcess.start(work, "serve", "--embeddings", "--port", "0", "--threads", "1");
    try {
      Matcher m = awaitUrl(serve, Duration.ofSeconds(60));
      assertThat(m.group(2)).startsWith("http://127.0.0.1:").endsWith("/v1");
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(m.group(2) + "/embeddings"))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"model\":\"all-minilm-l6-v2-q\",\"input\":\"hello\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode body = new ObjectMapper().readTree(response.body());
      assertThat(body.at("/data/0/embedding")).hasSize(384);

      serve.process().destroy(); // SIGTERM
      assertThat(serve.waitFor(30)).as(serve.output()).isZero();
      assertThat(serve.output()).contains("stopping the server").contains("server stopped");
    } finally {
      serve.process().destroyForcibly();
    }
  }

  @Test
  void aPortInUseIsAnErrorNamingIt(@TempDir Path work) throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      QuarryProcess serve =
          QuarryProcess.start(
              work,
              "serve",
              "--embeddings",
              "--port",
              String.valueOf(taken.getLocalPort()),
              "--threads",
              "1");
      assertThat(serve.waitFor(60)).isEqualTo(ExitCodes.ERROR);
      assertThat(serve.output()).contains("Address already in use");
    }
  }

  /** Polls the output for the URL line, up to {@code limit}. */
  private static Matcher awaitUrl(QuarryProcess serve, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = URL.matcher(serve.output());
      if (m.find()) {
        return m;
      }
      if (!serve.process().isAlive()) {
        throw new AssertionError("serve exited: " + serve.output());
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no URL within " + limit + ": " + serve.output());
  }
}
