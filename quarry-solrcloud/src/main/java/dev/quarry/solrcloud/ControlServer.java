package dev.quarry.solrcloud;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The cluster's control endpoint, so that a script or a test can stop and start nodes of a cluster
 * running in the background (no stdin to write to): the JDK's own HTTP server, bound to 127.0.0.1
 * on a free port, nothing on Solr's class path involved.
 *
 * <ul>
 *   <li>{@code POST /stop?node=I}: stops node I, answers once it has left /live_nodes;
 *   <li>{@code POST /start?node=I}: starts node I again on its port, answers once it is live;
 *   <li>{@code POST /shutdown}: stops the cluster, answers, then the JVM exits;
 *   <li>{@code GET /nodes}: one {@code I URL up|down} line per node.
 * </ul>
 *
 * Answers are plain text: 200 once done, 400 for a bad node number, 404 for another path, 405 for
 * another method, 500 when the action failed. Requests are served one at a time (the default
 * executor), so a stop and a start never overlap.
 */
final class ControlServer {
  private final HttpServer server;

  private ControlServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts serving {@code cluster}; {@code onShutdown} runs after the answer to /shutdown is sent.
   */
  static ControlServer start(LocalCluster cluster, Runnable onShutdown) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> handle(cluster, onShutdown, exchange));
    server.start();
    return new ControlServer(server);
  }

  /** {@code http://127.0.0.1:PORT/} */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  private static void handle(LocalCluster cluster, Runnable onShutdown, HttpExchange exchange)
      throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      String wanted =
          switch (path) {
            case "/nodes" -> "GET";
            case "/stop", "/start", "/shutdown" -> "POST";
            default -> null;
          };
      if (wanted == null) {
        answer(exchange, 404, "unknown path " + path + ": /stop, /start, /shutdown, /nodes\n");
        return;
      }
      if (!wanted.equals(method)) {
        exchange.getResponseHeaders().set("Allow", wanted);
        answer(exchange, 405, path + " takes " + wanted + "\n");
        return;
      }
      try {
        switch (path) {
          case "/nodes" -> answer(exchange, 200, cluster.describe());
          case "/shutdown" -> {
            String body = "shut down\n";
            try {
              cluster.shutdown();
            } catch (Exception e) {
              body = "shut down, with an error: " + e + "\n";
            }
            try {
              answer(exchange, 200, body);
              exchange.close();
            } finally {
              onShutdown.run(); // the JVM exits, even when the client went away
            }
          }
          default -> {
            Integer node = nodeNumber(exchange.getRequestURI().getRawQuery(), cluster.size());
            if (node == null) {
              answer(exchange, 400, "node=I wanted, I from 0 to " + (cluster.size() - 1) + "\n");
            } else if (path.equals("/stop")) {
              answer(exchange, 200, cluster.stop(node) + "\n");
            } else {
              answer(exchange, 200, cluster.start(node) + "\n");
            }
          }
        }
      } catch (Exception e) {
        answer(exchange, 500, "failed: " + e + "\n");
      }
    }
  }

  /** The {@code node} parameter when it is a valid node number, else null. */
  static Integer nodeNumber(String query, int size) {
    if (query == null) {
      return null;
    }
    for (String param : query.split("&")) {
      if (param.startsWith("node=")) {
        try {
          int node = Integer.parseInt(param.substring("node=".length()));
          return node >= 0 && node < size ? node : null;
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
