package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
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
                  .header("Content-Type", "application/json")
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

  @Test
  @Tag("hostile")
  // Issue 11, item 8: serving beyond loopback without a token is refused at start (exit 2).
  void aNonLoopbackAddressWithoutATokenIsAUsageError(@TempDir Path work) throws Exception {
    Map<String, String> noToken = new HashMap<>();
    noToken.put("QUARRY_SERVE_TOKEN", null);
    QuarryProcess open =
        QuarryProcess.start(
            work, noToken, "serve", "--embeddings", "--host", "0.0.0.0", "--port", "0");
    assertThat(open.waitFor(60)).as(open.output()).isEqualTo(ExitCodes.USAGE);
    assertThat(open.output())
        .contains("--host 0.0.0.0 is not loopback")
        .contains("$QUARRY_SERVE_TOKEN")
        .contains("--token-file")
        .doesNotContain("serving");

    QuarryProcess missing =
        QuarryProcess.start(
            work,
            noToken,
            "serve",
            "--embeddings",
            "--token-file",
            work.resolve("absent").toString());
    assertThat(missing.waitFor(60)).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.output()).contains("token file " + work.resolve("absent"));
  }

  @Test
  @Tag("hostile")
  // Issue 11, item 8: index and search through a token-protected server with the key; 401 without.
  void aTokenProtectedServerServesQuarryClientsThatSendTheKey(@TempDir Path work) throws Exception {
    String token = "e2e-token-0123456789abcdef0123";
    Path tokenFile = work.resolve("token");
    Files.writeString(tokenFile, token + "\n");
    Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
    Path tree = Files.createDirectories(work.resolve("tree"));
    Files.writeString(
        tree.resolve("rockets.md"), "# Rockets\n\nHow to launch a rocket safely into orbit.\n");
    Files.writeString(tree.resolve("soup.md"), "# Soup\n\nA recipe for tomato soup with basil.\n");
    Map<String, String> noToken = new HashMap<>();
    noToken.put("QUARRY_SERVE_TOKEN", null);
    QuarryProcess serve =
        QuarryProcess.start(
            work,
            noToken,
            "serve",
            "--embeddings",
            "--host",
            "0.0.0.0",
            "--port",
            "0",
            "--threads",
            "1",
            "--token-file",
            tokenFile.toString());
    try {
      Matcher m = awaitUrl(serve, Duration.ofSeconds(60));
      // A wildcard bind prints a URL that works, not http://[0:0:0:0:0:0:0:0]:PORT.
      assertThat(m.group(2)).startsWith("http://127.0.0.1:").endsWith("/v1");
      assertThat(serve.output())
          .contains("listening on every address of this machine")
          .contains("a token is required")
          .doesNotContain(token);
      String embedder = "openai:" + m.group(2);

      Map<String, String> withKey = new HashMap<>();
      withKey.put("QUARRY_EMBEDDER_API_KEY", token);
      QuarryProcess index =
          QuarryProcess.start(
              work, withKey, "index", tree.toString(), "--embedder", embedder, "-q");
      assertThat(index.waitFor(120)).as(index.output()).isZero();
      QuarryProcess search =
          QuarryProcess.start(
              work,
              withKey,
              "search",
              "--index",
              tree.toString(),
              "--embedder",
              embedder,
              "--mode",
              "semantic",
              "--json",
              "spacecraft takeoff");
      assertThat(search.waitFor(120)).as(search.output()).isZero();
      assertThat(search.output()).contains("rockets.md");

      Map<String, String> withoutKey = new HashMap<>();
      withoutKey.put("QUARRY_EMBEDDER_API_KEY", null);
      QuarryProcess refused =
          QuarryProcess.start(
              work,
              withoutKey,
              "search",
              "--index",
              tree.toString(),
              "--embedder",
              embedder,
              "--mode",
              "semantic",
              "rocket");
      assertThat(refused.waitFor(120)).as(refused.output()).isNotZero();
      assertThat(refused.output()).contains("401");
    } finally {
      serve.process().destroyForcibly();
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
