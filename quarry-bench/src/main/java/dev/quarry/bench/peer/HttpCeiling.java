package dev.quarry.bench.peer;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The ceiling of an HTTP layer on this machine: a trivial endpoint ({@code GET /ping}, a 16-byte
 * JSON answer) served by each candidate, for {@code bench/http-ceiling.sh} to load with wrk. What
 * Quarry's server can reach at best is what its layer reaches here with nothing to compute.
 *
 * <ul>
 *   <li>jetty: Jetty 12 core handler, as Quarry's server is built (virtual threads for handlers);
 *   <li>jdk: the JDK's {@code HttpServer} with a virtual thread per exchange.
 * </ul>
 *
 * <p>Usage: {@code HttpCeiling jetty|jdk}; prints the base URL on the first line, then serves until
 * killed.
 */
public final class HttpCeiling {
  private static final byte[] BODY = "{\"ok\":true}\n".getBytes(StandardCharsets.US_ASCII);

  private HttpCeiling() {}

  public static void main(String[] args) throws Exception {
    String layer = args.length == 1 ? args[0] : "";
    int port =
        switch (layer) {
          case "jetty" -> jetty();
          case "jdk" -> jdk();
          default -> {
            System.err.println("usage: HttpCeiling jetty|jdk");
            System.exit(2);
            yield 0;
          }
        };
    System.out.println("http://127.0.0.1:" + port);
    System.out.flush();
    new CountDownLatch(1).await();
  }

  private static int jetty() throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, BODY.length);
            response.write(true, ByteBuffer.wrap(BODY), callback);
            return true;
          }
        });
    server.start();
    return connector.getLocalPort();
  }

  private static int jdk() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        exchange -> {
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, BODY.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(BODY);
          }
        });
    server.start();
    return server.getAddress().getPort();
  }
}
