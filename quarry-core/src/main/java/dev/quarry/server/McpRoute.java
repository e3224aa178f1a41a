package dev.quarry.server;

import dev.quarry.serve.Admission;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Request;
import reactor.core.publisher.Mono;

/**
 * {@code /mcp} on the search server: MCP's streamable HTTP transport, stateless. Each POST carries
 * one JSON-RPC message and gets its answer as one JSON body (a notification gets 202); there is no
 * session and no server-to-client stream, so GET is 405, as the transport allows. The tools are
 * {@link McpTools}'.
 *
 * <p>Why stateless: Quarry's tools answer from the index and need nothing of a session, and a
 * stateless route passes through the server's own guards (token, Host, Origin, body size, read
 * deadline, admission) like every other route, with no servlet container beside Jetty's core.
 */
final class McpRoute implements McpStatelessServerTransport {
  /** The MCP revisions this transport speaks, for a client's {@code MCP-Protocol-Version}. */
  private static final List<String> VERSIONS = List.of("2025-03-26", "2025-06-18", "2025-11-25");

  private final Admission admission;
  private final Duration readTimeout;
  private final McpStatelessSyncServer server;
  private volatile McpStatelessServerHandler handler;

  /** An answer: its status and JSON body (empty for 202). */
  record Reply(int status, byte[] json) {}

  McpRoute(McpTools tools, Admission admission, Duration readTimeout, String version) {
    this.admission = admission;
    this.readTimeout = readTimeout;
    this.server =
        McpServer.sync(this)
            .jsonMapper(McpTools.JSON)
            .serverInfo("quarry", version)
            .instructions(McpTools.INSTRUCTIONS)
            .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
            .tools(tools.stateless())
            .build(); // calls setMcpHandler
  }

  @Override
  public void setMcpHandler(McpStatelessServerHandler handler) {
    this.handler = handler;
  }

  @Override
  public List<String> protocolVersions() {
    return VERSIONS;
  }

  @Override
  public Mono<Void> closeGracefully() {
    return Mono.empty(); // nothing of its own: requests in flight are the server's to drain
  }

  /** Closes the MCP server (the transport's own close, which it calls, has nothing to do). */
  void shutdown() {
    server.close();
  }

  Reply answer(Request request, Duration left) {
    if (!request.getMethod().equalsIgnoreCase("POST")) {
      throw new HttpError(
          405,
          request.getMethod()
              + " is not allowed on /mcp: this server answers each POST with one JSON body and"
              + " keeps no stream or session",
          "Allow",
          "POST");
    }
    String version = request.getHeaders().get("MCP-Protocol-Version");
    if (version != null && !VERSIONS.contains(version.strip())) {
      throw new HttpError(
          400, "MCP-Protocol-Version " + version + " is not one of " + String.join(", ", VERSIONS));
    }
    byte[] body = SearchRoute.readJsonBody(request, left, readTimeout);
    McpSchema.JSONRPCMessage message;
    try {
      message =
          McpSchema.deserializeJsonRpcMessage(
              McpTools.JSON, new String(body, StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return new Reply(400, parseError("not a JSON-RPC message: " + e.getMessage()));
    }
    McpTransportContext context = McpTransportContext.create(Map.of());
    if (message instanceof McpSchema.JSONRPCNotification notification) {
      handler
          .handleNotification(context, notification)
          .contextWrite(c -> c.put(McpTransportContext.KEY, context))
          .block(left);
      return new Reply(202, new byte[0]);
    }
    if (!(message instanceof McpSchema.JSONRPCRequest call)) {
      return new Reply(400, parseError("a client sends requests and notifications only"));
    }
    McpSchema.JSONRPCResponse response =
        Admitted.run(
            admission,
            () ->
                handler
                    .handleRequest(context, call)
                    .contextWrite(c -> c.put(McpTransportContext.KEY, context))
                    .block());
    try {
      return new Reply(200, McpTools.JSON.writeValueAsBytes(response));
    } catch (IOException e) {
      throw new HttpError(500, "cannot write the answer: " + e.getMessage());
    }
  }

  /**
   * A JSON-RPC parse error: its id is null, as JSON-RPC says when the request's id could not be
   * read (the SDK's response type refuses a null id, so it is written here).
   */
  private static byte[] parseError(String message) {
    Map<String, Object> error = new java.util.LinkedHashMap<>();
    error.put("jsonrpc", McpSchema.JSONRPC_VERSION);
    error.put("id", null);
    error.put("error", Map.of("code", McpSchema.ErrorCodes.PARSE_ERROR, "message", message));
    try {
      return dev.quarry.json.QuarryJson.MAPPER.writeValueAsBytes(error);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
