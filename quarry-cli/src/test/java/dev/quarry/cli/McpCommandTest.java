package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quarry mcp} as a client meets it: a real process on pipes, spoken to in raw JSON-RPC and
 * through the MCP SDK's own client. The tree has no index at start, so the first answers come while
 * it is being built.
 */
class McpCommandTest {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A tree of 40 files and one that names a symbol, plus a link that leads out of it. */
  private static Path tree(Path work) throws IOException {
    Path root = Files.createDirectories(work.resolve("tree"));
    TestTrees.mixed(root, 40, 7);
    Files.writeString(
        root.resolve("RetryPolicy.java"),
        "/** Retries uploads with exponential backoff. */\nclass RetryPolicy {\n"
            + "  long backoffMillis(int attempt) {\n    return 100L << attempt;\n  }\n}\n");
    Path secret = Files.writeString(work.resolve("secret.txt"), "not for agents\n");
    Files.createSymbolicLink(root.resolve("secret-link.txt"), secret);
    return root;
  }

  @Test
  void rawJsonRpcOverARealProcess(@TempDir Path work) throws Exception {
    Path root = tree(work);
    Path stderr = work.resolve("stderr");
    Process mcp =
        new ProcessBuilder(QuarryProcess.command("mcp", root.toString(), "--threads", "1"))
            .redirectError(stderr.toFile())
            .start();
    BlockingQueue<String> lines = readLines(mcp);
    List<String> everyLine = new ArrayList<>();
    try (OutputStream in = mcp.getOutputStream()) {
      Rpc rpc = new Rpc(in, lines, everyLine, mcp, stderr);
      JsonNode init =
          rpc.call(
              "initialize",
              Map.of(
                  "protocolVersion",
                  "2025-06-18",
                  "capabilities",
                  Map.of(),
                  "clientInfo",
                  Map.of("name", "raw-test", "version", "1")));
      assertThat(init.path("result").path("serverInfo").path("name").asText()).isEqualTo("quarry");
      assertThat(init.path("result").path("protocolVersion").asText()).isEqualTo("2025-06-18");
      rpc.notify("notifications/initialized");

      JsonNode tools = rpc.call("tools/list", Map.of()).path("result").path("tools");
      List<String> names = new ArrayList<>();
      tools.forEach(t -> names.add(t.path("name").asText()));
      assertThat(names).containsExactlyInAnyOrder("search", "read", "status");
      // Plain schemas: every property has one type, a string (no unions, which a client rejects).
      for (JsonNode tool : tools) {
        assertThat(tool.path("description").asText()).hasSizeGreaterThan(40);
        tool.path("inputSchema")
            .path("properties")
            .forEach(p -> assertThat(p.path("type").isTextual()).as(tool.toString()).isTrue());
        assertThat(tool.toString()).doesNotContain("anyOf").doesNotContain("oneOf");
      }

      // Answers come as soon as text is committed; until then the answer says the index is
      // being built (an error the agent can read, not a hang).
      JsonNode first = rpc.awaitSearch(Map.of("query", "backoffMillis", "mode", "lexical"));
      String text = text(first);
      assertThat(text).startsWith("Index: ").contains("## RetryPolicy.java:");
      assertThat(headers(text).get(0)).startsWith("## RetryPolicy.java:");

      // A small page ends with a cursor; the cursor gives the next hits, never the same ones.
      Map<String, Object> page1Args =
          Map.of("query", "rocket launch orbit", "mode", "lexical", "k", 3, "max_tokens", 500);
      String page1 = text(rpc.tool("search", page1Args));
      assertThat(page1).contains("Hits 1-").contains("cursor \"");
      String cursor = page1.substring(page1.lastIndexOf("cursor \"") + 8, page1.lastIndexOf('"'));
      Map<String, Object> page2Args = new java.util.HashMap<>(page1Args);
      page2Args.put("cursor", cursor);
      String page2 = text(rpc.tool("search", page2Args));
      assertThat(page2).doesNotContain("Hits 1-").containsPattern("Hits [2-9]-");
      for (String header : headers(page1)) {
        assertThat(headers(page2)).doesNotContain(header);
      }
      // ... and only with the search it came from.
      Map<String, Object> otherQuery = new java.util.HashMap<>(page2Args);
      otherQuery.put("query", "fuel");
      JsonNode refusedCursor = rpc.tool("search", otherQuery);
      assertThat(refusedCursor.path("result").path("isError").asBoolean()).isTrue();
      assertThat(text(refusedCursor)).contains("belongs to another search");

      // read: lines of a file in the roots; paths out of them refused, saying why.
      String read =
          text(
              rpc.tool("read", Map.of("path", "RetryPolicy.java", "start_line", 3, "end_line", 4)));
      assertThat(read)
          .contains("3 |   long backoffMillis(int attempt) {")
          .doesNotContain("class RetryPolicy");
      for (String path :
          List.of(
              "../secret.txt",
              "secret-link.txt",
              work.resolve("secret.txt").toString(),
              "/etc/passwd")) {
        JsonNode refused = rpc.tool("read", Map.of("path", path));
        assertThat(refused.path("result").path("isError").asBoolean()).as(path).isTrue();
        assertThat(text(refused))
            .as(path)
            .doesNotContain("not for agents")
            .containsAnyOf("'..'", "outside the indexed roots");
      }

      String status = text(rpc.tool("status", Map.of()));
      assertThat(status).contains("Roots: " + root.toRealPath()).containsPattern("Files: 4[12];");
    }
    // The client closed stdin: the server ends, cleanly.
    assertThat(mcp.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS))
        .as(Files.readString(stderr))
        .isTrue();
    assertThat(mcp.exitValue()).as(Files.readString(stderr)).isZero();
    // Stdout carried the protocol and nothing else.
    String rest;
    while ((rest = lines.poll()) != null) {
      everyLine.add(rest);
    }
    for (String line : everyLine) {
      if (!line.equals(EOF)) {
        assertThat(JSON.readTree(line).path("jsonrpc").asText()).as(line).isEqualTo("2.0");
      }
    }
    assertThat(Files.readString(stderr)).contains("quarry: MCP server on stdio");
  }

  @Test
  void theSdkClientSearchesReadsAndPagesThroughARealProcess(@TempDir Path work) throws Exception {
    Path root = tree(work);
    List<String> command = QuarryProcess.command("mcp", root.toString(), "--threads", "1");
    ServerParameters parameters =
        ServerParameters.builder(command.get(0)).args(command.subList(1, command.size())).build();
    StdioClientTransport transport =
        new StdioClientTransport(parameters, new JacksonMcpJsonMapper(new ObjectMapper()));
    List<String> serverErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
    transport.setStdErrorHandler(serverErrors::add);
    try (McpSyncClient client =
        McpClient.sync(transport)
            .requestTimeout(PATIENCE)
            .initializationTimeout(PATIENCE)
            .clientInfo(McpSchema.Implementation.builder("quarry-test", "1").build())
            .build()) {
      McpSchema.InitializeResult init = client.initialize();
      assertThat(init.serverInfo().name()).isEqualTo("quarry");
      assertThat(client.listTools().tools())
          .extracting(McpSchema.Tool::name)
          .containsExactlyInAnyOrder("search", "read", "status");

      McpSchema.CallToolResult found = null;
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (System.nanoTime() < deadline) {
        found =
            client.callTool(
                McpSchema.CallToolRequest.builder("search")
                    .arguments(Map.of("query", "exponential backoff uploads"))
                    .build());
        if (!Boolean.TRUE.equals(found.isError()) && text(found).contains("RetryPolicy.java")) {
          break;
        }
        Thread.sleep(200); // polling a condition (the first commit), with a deadline
      }
      assertThat(text(found))
          .as(String.join("\n", serverErrors))
          .contains("## RetryPolicy.java:1-6");

      McpSchema.CallToolResult read =
          client.callTool(
              McpSchema.CallToolRequest.builder("read")
                  .arguments(Map.of("path", "RetryPolicy.java", "start_line", 2))
                  .build());
      assertThat(text(read)).contains("2 | class RetryPolicy {").contains("(end of file)");

      McpSchema.CallToolResult refused =
          client.callTool(
              McpSchema.CallToolRequest.builder("read")
                  .arguments(Map.of("path", "secret-link.txt"))
                  .build());
      assertThat(refused.isError()).isTrue();
      assertThat(text(refused))
          .contains("outside the indexed roots")
          .doesNotContain("not for agents");

      // A bad argument is the tool's answer, not a protocol error.
      McpSchema.CallToolResult badMode =
          client.callTool(
              McpSchema.CallToolRequest.builder("search")
                  .arguments(Map.of("query", "x", "mode", "fuzzy"))
                  .build());
      assertThat(badMode.isError()).isTrue();
    }
  }

  // ---- helpers

  private static final String EOF = "\u0000EOF";

  /** Each line the process writes to stdout, in order; {@link #EOF} when it closes. */
  private static BlockingQueue<String> readLines(Process process) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // The process ended: EOF below.
              }
              lines.add(EOF);
            });
    return lines;
  }

  /** A JSON-RPC client on a process's pipes: one request at a time, answers matched by id. */
  private static final class Rpc {
    private final OutputStream in;
    private final BlockingQueue<String> lines;
    private final List<String> seen;
    private final Process process;
    private final Path stderr;
    private int nextId = 1;

    Rpc(
        OutputStream in,
        BlockingQueue<String> lines,
        List<String> seen,
        Process process,
        Path stderr) {
      this.in = in;
      this.lines = lines;
      this.seen = seen;
      this.process = process;
      this.stderr = stderr;
    }

    JsonNode call(String method, Object params) throws Exception {
      int id = nextId++;
      ObjectNode message =
          JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
      message.set("params", JSON.valueToTree(params));
      send(message);
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (true) {
        String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null || line.equals(EOF)) {
          throw new AssertionError(
              "no answer to "
                  + method
                  + " (process alive: "
                  + process.isAlive()
                  + "): "
                  + Files.readString(stderr));
        }
        seen.add(line);
        JsonNode answer = JSON.readTree(line);
        if (answer.path("id").asInt(-1) == id) {
          return answer;
        }
      }
    }

    void notify(String method) throws IOException {
      send(JSON.createObjectNode().put("jsonrpc", "2.0").put("method", method));
    }

    JsonNode tool(String name, Map<String, Object> arguments) throws Exception {
      return call("tools/call", Map.of("name", name, "arguments", arguments));
    }

    /** Searches until the index answers (its first run commits), within the patience. */
    JsonNode awaitSearch(Map<String, Object> arguments) throws Exception {
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      JsonNode answer;
      do {
        answer = tool("search", arguments);
        if (!answer.path("result").path("isError").asBoolean()) {
          return answer;
        }
        assertThat(text(answer)).contains("not searchable yet");
        Thread.sleep(200); // polling a condition (the first commit), with a deadline
      } while (System.nanoTime() < deadline);
      throw new AssertionError("the index never answered: " + text(answer));
    }

    private void send(JsonNode message) throws IOException {
      in.write((JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    }
  }

  private static String text(JsonNode answer) {
    return answer.path("result").path("content").path(0).path("text").asText();
  }

  private static String text(McpSchema.CallToolResult result) {
    return ((McpSchema.TextContent) result.content().get(0)).text();
  }

  /** The hit headers of a search answer ("## path:lines (...)"). */
  private static List<String> headers(String answer) {
    return answer.lines().filter(l -> l.startsWith("## ")).toList();
  }
}
