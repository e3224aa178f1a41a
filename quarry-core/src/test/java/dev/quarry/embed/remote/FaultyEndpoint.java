package dev.quarry.embed.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real OpenAI-style endpoint on loopback whose answers follow a script: each request takes the
 * next {@link Fault} from the queue (a correct answer when it is empty). Vectors are a pure
 * function of the text ({@link #vector}), so tests can check that each text got its own. It has no
 * {@code /v1/models} (404), like many servers that are not Quarry.
 */
final class FaultyEndpoint implements AutoCloseable {
  static final int DIMENSIONS = 8;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the endpoint does with one request. */
  @FunctionalInterface
  interface Fault {
    void answer(FaultyEndpoint endpoint, HttpExchange exchange, List<String> inputs)
        throws IOException;
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Queue<Fault> script = new ConcurrentLinkedQueue<>();
  private final List<Long> requestNanos = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile Fault always;

  FaultyEndpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(executor);
    server.createContext("/v1/embeddings", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
  }

  /** Queues faults for the next requests, in order. */
  FaultyEndpoint then(Fault... faults) {
    Collections.addAll(script, faults);
    return this;
  }

  /** A fault for every request once the script is used up (null: correct answers). */
  FaultyEndpoint always(Fault fault) {
    always = fault;
    return this;
  }

  int requests() {
    return requestNanos.size();
  }

  List<Long> requestNanos() {
    return List.copyOf(requestNanos);
  }

  List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  List<Integer> batchSizes() {
    return List.copyOf(batchSizes);
  }

  int maxInFlight() {
    return maxInFlight.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    requestNanos.add(System.nanoTime());
    authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try (exchange) {
      JsonNode request = JSON.readTree(exchange.getRequestBody());
      List<String> inputs = new ArrayList<>();
      request.get("input").forEach(n -> inputs.add(n.asText()));
      batchSizes.add(inputs.size());
      Fault fault = script.poll();
      if (fault == null) {
        fault = always == null ? ok() : always;
      }
      fault.answer(this, exchange, inputs);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** The endpoint's vector for {@code text}: deterministic, unit length, different per text. */
  static float[] vector(String text) {
    float[] v = new float[DIMENSIONS];
    int h = text.hashCode();
    double norm = 0;
    for (int i = 0; i < DIMENSIONS; i++) {
      h = h * 31 + i * 17 + 7;
      v[i] = (h % 1000) / 1000f + 0.001f * (i + 1);
      norm += v[i] * v[i];
    }
    for (int i = 0; i < DIMENSIONS; i++) {
      v[i] /= (float) Math.sqrt(norm);
    }
    return v;
  }

  // ---- faults ----

  static Fault ok() {
    return (e, x, inputs) -> send(x, 200, body(inputs, false, 0, DIMENSIONS, null));
  }

  /** Correct vectors, listed in reverse order (indexes still right). */
  static Fault reversed() {
    return (e, x, inputs) -> send(x, 200, body(inputs, true, 0, DIMENSIONS, null));
  }

  static Fault status(int status, String message) {
    return (e, x, inputs) ->
        send(
            x,
            status,
            "{\"error\":{\"message\":" + JSON.writeValueAsString(message) + ",\"type\":\"test\"}}");
  }

  static Fault rateLimited(String retryAfter) {
    return (e, x, inputs) -> {
      x.getResponseHeaders().set("Retry-After", retryAfter);
      send(x, 429, "{\"error\":{\"message\":\"slow down\"}}");
    };
  }

  /**
   * Holds the request for {@code millis} (or until the endpoint closes), then answers correctly.
   */
  static Fault slow(long millis) {
    return (e, x, inputs) -> {
      try {
        e.closing.await(millis, TimeUnit.MILLISECONDS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
      send(x, 200, body(inputs, false, 0, DIMENSIONS, null));
    };
  }

  /** Declares the full length, sends a third of the body, closes the connection. */
  static Fault truncated() {
    return (e, x, inputs) -> {
      byte[] bytes = body(inputs, false, 0, DIMENSIONS, null).getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().set("Content-Type", "application/json");
      x.sendResponseHeaders(200, bytes.length);
      OutputStream out = x.getResponseBody();
      out.write(bytes, 0, bytes.length / 3);
      out.flush();
      // Closing an exchange short of its declared length drops the connection, as a crash would.
      throw new IOException("truncated on purpose");
    };
  }

  /** Sends the headers and a third of the body, then stalls (until the endpoint closes). */
  static Fault stalledBody() {
    return (e, x, inputs) -> {
      byte[] bytes = body(inputs, false, 0, DIMENSIONS, null).getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().set("Content-Type", "application/json");
      x.sendResponseHeaders(200, bytes.length);
      OutputStream out = x.getResponseBody();
      out.write(bytes, 0, bytes.length / 3);
      out.flush();
      try {
        e.closing.await();
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("stalled on purpose");
    };
  }

  /** A well-framed 200 whose JSON stops half way. */
  static Fault malformedJson() {
    return (e, x, inputs) -> {
      String full = body(inputs, false, 0, DIMENSIONS, null);
      send(x, 200, full.substring(0, full.length() / 2));
    };
  }

  static Fault missingOne() {
    return (e, x, inputs) -> send(x, 200, body(inputs, false, 1, DIMENSIONS, null));
  }

  static Fault dimensions(int dimensions) {
    return (e, x, inputs) -> send(x, 200, body(inputs, false, 0, dimensions, null));
  }

  /** Puts {@code literal} (e.g. NaN, 1e40) as the first value of the first vector. */
  static Fault value(String literal) {
    return (e, x, inputs) -> send(x, 200, body(inputs, false, 0, DIMENSIONS, literal));
  }

  static Fault duplicateIndex() {
    return (e, x, inputs) ->
        send(
            x,
            200,
            body(inputs, false, 0, DIMENSIONS, null).replace("\"index\":1,", "\"index\":0,"));
  }

  private static String body(
      List<String> inputs, boolean reverse, int drop, int dimensions, String firstValue) {
    StringBuilder s = new StringBuilder("{\"object\":\"list\",\"data\":[");
    int n = inputs.size() - drop;
    for (int k = 0; k < n; k++) {
      int i = reverse ? n - 1 - k : k;
      float[] v = vector(inputs.get(i));
      s.append(k == 0 ? "" : ",")
          .append("{\"object\":\"embedding\",\"index\":")
          .append(i)
          .append(",\"embedding\":[");
      for (int d = 0; d < dimensions; d++) {
        s.append(d == 0 ? "" : ",");
        s.append(
            d == 0 && k == 0 && firstValue != null
                ? firstValue
                : Float.toString(v[d % DIMENSIONS]));
      }
      s.append("]}");
    }
    return s.append(
            "],\"model\":\"test-model\",\"usage\":{\"prompt_tokens\":1,\"total_tokens\":1}}")
        .toString();
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
