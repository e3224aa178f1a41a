package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.solr.LocalSolrCloud;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quarry serve} and {@code quarry mcp} on an index in a real SolrCloud collection: a server
 * that watches its roots and writes their changes into the collection, then a server and an MCP
 * session with no roots of their own, searching the collection as another machine left it, and
 * {@code quarry check} of the collection.
 */
class SolrServeCommandTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofMinutes(2);

  @TempDir Path work;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stopProcesses() throws Exception {
    for (Process process : processes) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  @Test
  void aWatchingServerWritesTheTreeIntoTheCollectionAndOthersSearchItAsItIs() throws Exception {
    String store =
        "solr:"
            + LocalSolrCloud.get()
                .address("served_" + ProcessHandle.current().pid(), "shards=2&replicas=1");
    Path root = Files.createDirectories(work.resolve("tree"));
    Files.writeString(
        root.resolve("rockets.md"), "# Rockets\n\nHow to launch a rocket safely into orbit.\n");
    Files.writeString(root.resolve("soup.md"), "# Soup\n\nA recipe for tomato soup with basil.\n");
    Files.createDirectories(root.resolve("notes"));
    Files.writeString(root.resolve("notes/gear.md"), "# Gear\n\nA sprocket and its chain.\n");

    String url = serve("writer", "serve", root.toString(), "--store", store, "--threads", "1");
    awaitHit(url, "rocket", "rockets.md", true);
    awaitHit(url, "sprocket", "notes/gear.md", true);
    // Vectors follow the text; then a semantic search finds the file by meaning.
    JsonNode semantic = awaitSemantic(url, "spacecraft takeoff");
    assertThat(semantic.path("hits").get(0).path("path").asText()).isEqualTo("rockets.md");
    JsonNode status = JSON.readTree(get(url + "/v1/status").body());
    assertThat(status.path("index").path("index").asText()).isEqualTo(store.split("\\?")[0]);
    assertThat(status.path("index").path("files").asLong()).isEqualTo(3);
    assertThat(status.path("lastCommit").path("generation").asLong()).isPositive();

    // The watch: a new file, a deleted file and a deleted folder reach the collection. Asked the
    // same question again, the server answers from the new commit, not from its cache.
    Files.writeString(root.resolve("comet.md"), "# Comet\n\nIts perihelion is near the sun.\n");
    awaitHit(url, "perihelion", "comet.md", true);
    Files.delete(root.resolve("soup.md"));
    awaitHit(url, "tomato", "soup.md", false);
    Files.delete(root.resolve("notes/gear.md"));
    Files.delete(root.resolve("notes"));
    awaitHit(url, "sprocket", "notes/gear.md", false);

    // Another server with no roots: it searches the collection as it is and indexes nothing.
    String reader = serve("reader", "serve", "--store", store);
    awaitHit(reader, "perihelion", "comet.md", true);
    HttpResponse<String> reconcile =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(reader + "/v1/index"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(reconcile.statusCode()).as(reconcile.body()).isEqualTo(409);

    // quarry check reads the collection's manifest against its chunks; --thorough is not for it.
    QuarryCliTest.Run check = QuarryCliTest.quarry("check", "--store", store, "--json");
    assertThat(check.exit()).as(check.err()).isZero();
    JsonNode report = JSON.readTree(check.out());
    assertThat(report.path("consistent").asBoolean()).as(check.out()).isTrue();
    assertThat(report.path("files").asLong()).isEqualTo(2);
    assertThat(report.has("luceneCheck")).isFalse();
    QuarryCliTest.Run thorough = QuarryCliTest.quarry("check", "--store", store, "--thorough");
    assertThat(thorough.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(thorough.err()).contains("--thorough is for the embedded index");

    // An MCP session on the same collection, with no roots either.
    Path mcpErr = work.resolve("mcp.err");
    Process mcp =
        new ProcessBuilder(QuarryProcess.command("mcp", "--store", store, "--threads", "1"))
            .redirectError(mcpErr.toFile())
            .start();
    processes.add(mcp);
    try (OutputStream in = mcp.getOutputStream();
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(mcp.getInputStream(), StandardCharsets.UTF_8))) {
      rpc(
          in,
          out,
          1,
          "initialize",
          Map.of(
              "protocolVersion",
              "2025-06-18",
              "capabilities",
              Map.of(),
              "clientInfo",
              Map.of("name", "solr-test", "version", "1")));
      in.write(
          "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
              .getBytes(StandardCharsets.UTF_8));
      String found =
          toolText(
              rpc(
                  in,
                  out,
                  2,
                  "tools/call",
                  Map.of(
                      "name",
                      "search",
                      "arguments",
                      Map.of("query", "perihelion", "mode", "lexical"))));
      assertThat(found).as(Files.readString(mcpErr)).contains("## comet.md:");
      String indexStatus =
          toolText(rpc(in, out, 3, "tools/call", Map.of("name", "status", "arguments", Map.of())));
      assertThat(indexStatus).contains(store.split("\\?")[0]).contains("Files: 2");
    }
  }

  /** Starts {@code quarry ARGS --port 0} and returns the URL it prints first. */
  private String serve(String name, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(args));
    command.addAll(List.of("--port", "0"));
    Path stdout = work.resolve(name + ".out");
    Path stderr = work.resolve(name + ".err");
    Process process =
        new ProcessBuilder(QuarryProcess.command(command.toArray(String[]::new)))
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    processes.add(process);
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      String printed = Files.readString(stdout);
      if (printed.contains("\n")) {
        return printed.substring(0, printed.indexOf('\n'));
      }
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited: " + Files.readString(stderr));
      }
      Thread.sleep(20); // polling a condition, with a deadline
    }
    throw new AssertionError(name + " printed no URL: " + Files.readString(stderr));
  }

  /** Waits until a lexical search for {@code word} finds {@code path} (or no longer does). */
  private static void awaitHit(String url, String word, String path, boolean found)
      throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    String body = "";
    while (System.nanoTime() < deadline) {
      HttpResponse<String> answer = get(url + "/v1/search?mode=lexical&q=" + word);
      body = answer.body();
      if (answer.statusCode() == 200 && hitPaths(body).contains(path) == found) {
        return;
      }
      Thread.sleep(100); // polling a condition (the watch's next commit), with a deadline
    }
    throw new AssertionError(
        (found ? "never found " : "still found ") + path + " for " + word + ": " + body);
  }

  private static JsonNode awaitSemantic(String url, String query) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    String body = "";
    while (System.nanoTime() < deadline) {
      HttpResponse<String> answer =
          get(
              url
                  + "/v1/search?mode=semantic&q="
                  + URLEncoder.encode(query, StandardCharsets.UTF_8));
      body = answer.body();
      if (answer.statusCode() == 200 && hitPaths(body).size() == 3) { // every chunk embedded
        return JSON.readTree(body);
      }
      Thread.sleep(100); // polling a condition (the vectors' commit), with a deadline
    }
    throw new AssertionError("no semantic answer: " + body);
  }

  private static List<String> hitPaths(String body) throws Exception {
    List<String> paths = new ArrayList<>();
    JSON.readTree(body).path("hits").forEach(hit -> paths.add(hit.path("path").asText()));
    return paths;
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Sends one JSON-RPC request and reads lines until its answer. */
  private static JsonNode rpc(
      OutputStream in, BufferedReader out, int id, String method, Object params) throws Exception {
    ObjectNode message =
        JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
    message.set("params", JSON.valueToTree(params));
    in.write((JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      JsonNode answer = JSON.readTree(line);
      if (answer.path("id").asInt(-1) == id) {
        return answer;
      }
    }
    throw new AssertionError("the MCP server closed its output before answering " + method);
  }

  private static String toolText(JsonNode answer) {
    return answer.path("result").path("content").path(0).path("text").asText();
  }
}
