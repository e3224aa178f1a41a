package dev.quarry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.Quarry;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.scan.ScanOptions;
import dev.quarry.serve.BearerToken;
import dev.quarry.serve.ServeOptions;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /mcp} on the search server, spoken to by the MCP SDK's own HTTP client, and refused to
 * callers without the token or with hostile bodies, like every other route.
 */
class McpHttpTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final Duration PATIENCE = Duration.ofMinutes(2);
  private static final String TOKEN = "mcp-test-token-value";

  @TempDir Path tmp;
  private SearchServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private SearchServer start(ServeOptions options) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("tree"));
    for (int i = 0; i < 12; i++) {
      Files.writeString(
          root.resolve("note" + i + ".md"),
          "# Note " + i + "\n\nThe uploader retries failed parts, attempt " + i + " of many.\n");
    }
    Files.writeString(root.resolve("page.html.md"), "# Page\n\n<script>alert('x')</script>\n");
    Path indexDir = tmp.resolve("index");
    SearchServer.Reconciler reconciler =
        control ->
            Quarry.run(
                    IndexOptions.of(
                            List.of(root),
                            indexDir,
                            ScanOptions.defaults().withExcludedDirectory(indexDir),
                            false,
                            "all-minilm-l6-v2-q")
                        .withWorkers(1))
                .control(control)
                .index();
    server =
        SearchServer.start(
            new SearchServer.Config(
                indexDir,
                options,
                () -> Quarry.search(indexDir).open(),
                Optional.of(reconciler),
                true));
    server.awaitReconcile(PATIENCE);
    return server;
  }

  private McpSyncClient client(String token) {
    HttpClientStreamableHttpTransport.Builder transport =
        HttpClientStreamableHttpTransport.builder(server.baseUri().toString())
            .endpoint("/mcp")
            .jsonMapper(new JacksonMcpJsonMapper(new ObjectMapper()));
    if (token != null) {
      transport.addHttpRequestCustomizer(
          (request, method, uri, body, context) ->
              request.header("Authorization", "Bearer " + token));
    }
    return McpClient.sync(transport.build())
        .requestTimeout(PATIENCE)
        .initializationTimeout(PATIENCE)
        .build();
  }

  @Test
  void theSdkClientSearchesPagesAndReadsOverHttp() throws Exception {
    start(ServeOptions.loopback(0));
    try (McpSyncClient client = client(null)) {
      assertThat(client.initialize().serverInfo().name()).isEqualTo("quarry");
      assertThat(client.listTools().tools())
          .extracting(McpSchema.Tool::name)
          .containsExactlyInAnyOrder("search", "read", "status");

      Map<String, Object> search = Map.of("query", "uploader retries", "k", 5, "max_tokens", 500);
      String page1 = text(client.callTool(call("search", search)));
      assertThat(page1).startsWith("Index: 13 files").contains("Hits 1-").contains("cursor \"");
      String cursor = page1.substring(page1.lastIndexOf("cursor \"") + 8, page1.lastIndexOf('"'));
      String page2 =
          text(
              client.callTool(
                  call(
                      "search",
                      Map.of(
                          "query",
                          "uploader retries",
                          "k",
                          5,
                          "max_tokens",
                          500,
                          "cursor",
                          cursor))));
      assertThat(page2).containsPattern("Hits [2-9]");
      page1
          .lines()
          .filter(l -> l.startsWith("## "))
          .forEach(header -> assertThat(page2).doesNotContain(header));

      String read = text(client.callTool(call("read", Map.of("path", "note3.md"))));
      assertThat(read).contains("1 | # Note 3").contains("(end of file)");
      McpSchema.CallToolResult outside =
          client.callTool(
              call("read", Map.of("path", tmp.resolve("index").resolve("x").toString())));
      assertThat(outside.isError()).isTrue();

      // Text is text: markup in a file reaches the client as the characters it is.
      assertThat(text(client.callTool(call("search", Map.of("query", "alert script")))))
          .contains("<script>alert('x')</script>");
      assertThat(text(client.callTool(call("status", Map.of())))).contains("Files: 13;");
    }
  }

  @Test
  @Tag("hostile")
  void offLoopbackTheTokenIsRequiredAndHostileBodiesAreRefused() throws Exception {
    start(
        ServeOptions.of(new java.net.InetSocketAddress("0.0.0.0", 0))
            .withToken(BearerToken.of(TOKEN)));
    try (McpSyncClient noToken = client(null)) {
      assertThatThrownBy(noToken::initialize)
          .hasRootCauseInstanceOf(
              io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException
                  .class);
    }
    try (McpSyncClient withToken = client(TOKEN)) {
      assertThat(withToken.initialize().serverInfo().name()).isEqualTo("quarry");
      assertThat(text(withToken.callTool(call("status", Map.of())))).contains("Files: 13;");
    }
    // GET has no stream to give (stateless): 405 with Allow, as the transport allows.
    HttpResponse<String> get =
        HTTP.send(authorized("/mcp").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    // Not JSON-RPC: a JSON-RPC parse error, not a stack trace.
    HttpResponse<String> garbage = post("{\"jsonrpc\": \"2.0\", \"id\": [", "application/json");
    assertThat(garbage.statusCode()).as(garbage.body()).isEqualTo(400);
    assertThat(garbage.body()).contains("-32700");
    // Over the body limit: 413 before the body is parsed.
    String huge =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"search\","
            + "\"arguments\":{\"query\":\""
            + "x".repeat(SearchRoute.MAX_BODY_BYTES)
            + "\"}}}";
    assertThat(post(huge, "application/json").statusCode()).isEqualTo(413);
    // Not JSON at all: 415.
    assertThat(post("hello", "text/plain").statusCode()).isEqualTo(415);
    // A protocol version it does not speak: 400, naming those it does.
    HttpResponse<String> version =
        HTTP.send(
            authorized("/mcp")
                .header("Content-Type", "application/json")
                .header("MCP-Protocol-Version", "1999-01-01")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(version.statusCode()).isEqualTo(400);
    assertThat(version.body()).contains("2025-06-18");
  }

  private HttpRequest.Builder authorized(String path) {
    return HttpRequest.newBuilder(server.baseUri().resolve(path))
        .header("Authorization", "Bearer " + TOKEN);
  }

  private HttpResponse<String> post(String body, String type) throws Exception {
    return HTTP.send(
        authorized("/mcp")
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static McpSchema.CallToolRequest call(String tool, Map<String, Object> arguments) {
    return McpSchema.CallToolRequest.builder(tool).arguments(arguments).build();
  }

  private static String text(McpSchema.CallToolResult result) {
    return ((McpSchema.TextContent) result.content().get(0)).text();
  }
}
