package dev.quarry.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.quarry.embed.EmbeddingException;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.ModelIdentity;
import dev.quarry.embed.openai.EmbeddingsRequest;
import dev.quarry.embed.openai.EmbeddingsResponse;
import dev.quarry.embed.openai.ErrorResponse;
import dev.quarry.embed.openai.ModelList;
import dev.quarry.embed.openai.OpenAiWire;
import dev.quarry.embed.openai.WireFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An OpenAI-compatible embeddings endpoint over an in-process {@link EmbeddingModel}:
 *
 * <ul>
 *   <li>{@code POST /v1/embeddings} with {@code {"model": NAME, "input": "text" | ["text", ...]}}
 *       answers {@code
 *       {"object":"list","data":[{"object":"embedding","index":i,"embedding":[...]}],
 *       "model":NAME,"usage":{"prompt_tokens":n,"total_tokens":n}}};
 *   <li>{@code GET /v1/models} lists the one model, with an extra {@code quarry} object holding its
 *       {@link ModelIdentity} (and {@code id()}), so a Quarry client knows it gets the vectors its
 *       local model would give and can share an index or cache with local runs.
 * </ul>
 *
 * <p>Bad requests get a 4xx with an OpenAI-style JSON error ({@code {"error":{"message","type",
 * "code"}}}). Each request runs on its own virtual thread; the model is thread-safe, so requests
 * are embedded concurrently. {@link #close} stops accepting, lets requests in flight finish (up to
 * a grace period) and does not close the model (its owner does).
 */
public final class EmbeddingServer implements AutoCloseable {
  /** The name of the extra field of {@code /v1/models} entries that carries Quarry's identity. */
  public static final String IDENTITY_FIELD = ModelList.IDENTITY_FIELD;

  /**
   * The largest request body accepted. 8 MiB holds a batch of 2048 inputs of ~4 KB, more than any
   * client sends in one call; a bound so that one request cannot exhaust the heap.
   */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 8 << 20;

  /** OpenAI's own limit on inputs per request. */
  public static final int MAX_INPUTS = 2048;

  private static final int GRACE_SECONDS = 10;

  private final HttpServer server;
  private final ExecutorService executor;
  private final EmbeddingModel model;
  private final int maxRequestBytes;

  private EmbeddingServer(
      HttpServer server, ExecutorService executor, EmbeddingModel model, int maxRequestBytes) {
    this.server = server;
    this.executor = executor;
    this.model = model;
    this.maxRequestBytes = maxRequestBytes;
  }

  /**
   * Starts serving {@code model} on {@code address} (port 0: any free port).
   *
   * @throws IOException when the address cannot be bound
   */
  public static EmbeddingServer start(EmbeddingModel model, InetSocketAddress address)
      throws IOException {
    return start(model, address, DEFAULT_MAX_REQUEST_BYTES);
  }

  /** As {@link #start(EmbeddingModel, InetSocketAddress)} with a bound on the request body. */
  public static EmbeddingServer start(
      EmbeddingModel model, InetSocketAddress address, int maxRequestBytes) throws IOException {
    HttpServer http = HttpServer.create(address, 128);
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    EmbeddingServer server = new EmbeddingServer(http, executor, model, maxRequestBytes);
    http.setExecutor(executor);
    http.createContext("/v1/embeddings", server::handleEmbeddings);
    http.createContext("/v1/models", server::handleModels);
    http.createContext(
        "/",
        exchange ->
            server.guard(
                exchange,
                () ->
                    server.error(
                        exchange,
                        404,
                        "not_found",
                        "no such endpoint: "
                            + exchange.getRequestURI().getPath()
                            + " (this server has POST /v1/embeddings and GET /v1/models)")));
    http.start();
    return server;
  }

  /** The base URL clients use, e.g. {@code http://127.0.0.1:8080/v1}. */
  public URI baseUri() {
    InetSocketAddress bound = server.getAddress();
    String host = bound.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + bound.getPort() + "/v1");
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(GRACE_SECONDS);
    executor.shutdown();
    try {
      executor.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @FunctionalInterface
  private interface Handler {
    void handle() throws IOException;
  }

  /** Runs a handler; whatever it throws becomes a 500 (the exchange is always closed). */
  private void guard(HttpExchange exchange, Handler handler) {
    try (exchange) {
      try {
        handler.handle();
      } catch (BadRequest e) {
        error(exchange, e.status, e.code, e.getMessage());
      } catch (EmbeddingException e) {
        error(exchange, 500, "model_error", "the model failed: " + e.getMessage());
      } catch (RuntimeException e) {
        error(exchange, 500, "internal_error", e.toString());
      }
    } catch (IOException e) {
      // The client went away: nothing to answer to.
    }
  }

  private void handleModels(HttpExchange exchange) {
    guard(
        exchange,
        () -> {
          requireMethod(exchange, "GET");
          ModelIdentity identity = model.identity();
          ModelList.QuarryIdentity quarry =
              new ModelList.QuarryIdentity(
                  identity.id(),
                  identity.name(),
                  identity.version(),
                  identity.dimensions(),
                  identity.maxTokens(),
                  identity.pooling(),
                  identity.normalized());
          send(
              exchange,
              200,
              ModelList.of(
                  List.of(new ModelList.Model(identity.name(), "model", 0L, "quarry", quarry))));
        });
  }

  private void handleEmbeddings(HttpExchange exchange) {
    guard(
        exchange,
        () -> {
          requireMethod(exchange, "POST");
          EmbeddingsRequest request = parse(readBody(exchange));
          ModelIdentity identity = model.identity();
          String asked = request.model();
          if (asked != null && !asked.equals(identity.name()) && !asked.equals(identity.id())) {
            throw new BadRequest(
                404,
                "model_not_found",
                "model '"
                    + asked
                    + "' is not served here; this server has '"
                    + identity.name()
                    + "'");
          }
          String format = request.encodingFormat();
          if (format != null && !EmbeddingsRequest.FLOAT.equals(format)) {
            throw new BadRequest(
                400,
                "invalid_request_error",
                "encoding_format '" + format + "' is not supported (only 'float')");
          }
          List<String> inputs = inputs(request);
          List<float[]> vectors = model.embed(inputs);
          long tokens = 0;
          for (String input : inputs) {
            tokens +=
                model.tokenizer().countTokens(input) + 2; // [CLS] and [SEP], as OpenAI counts all
          }
          send(exchange, 200, EmbeddingsResponse.of(identity.name(), vectors, tokens));
        });
  }

  private static List<String> inputs(EmbeddingsRequest request) {
    if (request.input() != null && request.input().size() > MAX_INPUTS) {
      throw new BadRequest(
          400,
          "invalid_request_error",
          "'input' has "
              + request.input().size()
              + " items; at most "
              + MAX_INPUTS
              + " per request");
    }
    try {
      return request.texts();
    } catch (IllegalArgumentException e) {
      throw new BadRequest(400, "invalid_request_error", e.getMessage());
    }
  }

  private static void requireMethod(HttpExchange exchange, String method) {
    if (!exchange.getRequestMethod().equalsIgnoreCase(method)) {
      exchange.getResponseHeaders().set("Allow", method);
      throw new BadRequest(
          405,
          "method_not_allowed",
          exchange.getRequestMethod()
              + " is not allowed on "
              + exchange.getRequestURI().getPath()
              + "; use "
              + method);
    }
  }

  private byte[] readBody(HttpExchange exchange) throws IOException {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      long length;
      try {
        length = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        throw new BadRequest(400, "invalid_request_error", "bad Content-Length: " + declared);
      }
      if (length > maxRequestBytes) {
        discard(exchange, length);
        throw tooLarge();
      }
    }
    // Read at most one byte more than allowed: a chunked body does not declare its length.
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(maxRequestBytes + 1);
      if (body.length > maxRequestBytes) {
        discard(exchange, DRAIN_LIMIT_BYTES);
        throw tooLarge();
      }
      return body;
    }
  }

  /**
   * Bodies up to this size are read and dropped before a 413, so the client can read the answer.
   */
  private static final long DRAIN_LIMIT_BYTES = 64L << 20;

  /**
   * Reads and drops the rest of a body too large to serve (up to {@link #DRAIN_LIMIT_BYTES}):
   * answering while the client is still sending makes the server close the connection under it, and
   * the client then sees a reset instead of the 413 and its reason.
   */
  private static void discard(HttpExchange exchange, long declared) {
    if (declared > DRAIN_LIMIT_BYTES) {
      return; // absurd: not worth reading; the client will see the connection close
    }
    try (InputStream in = exchange.getRequestBody()) {
      byte[] buffer = new byte[64 * 1024];
      long read = 0;
      for (int n = in.read(buffer); n >= 0 && read <= DRAIN_LIMIT_BYTES; n = in.read(buffer)) {
        read += n;
      }
    } catch (IOException e) {
      // The client gave up: nothing to answer to.
    }
  }

  private BadRequest tooLarge() {
    return new BadRequest(
        413, "request_too_large", "the request body is larger than " + maxRequestBytes + " bytes");
  }

  private static EmbeddingsRequest parse(byte[] body) {
    try {
      return OpenAiWire.read(body, EmbeddingsRequest.class);
    } catch (WireFormatException e) {
      throw new BadRequest(
          400, e.json() ? "invalid_request_error" : "invalid_json", e.getMessage());
    }
  }

  private void error(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    send(exchange, status, ErrorResponse.of(status, code, message));
  }

  private static void send(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = OpenAiWire.write(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** A request the server refuses, with its HTTP status and OpenAI-style error code. */
  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;

    BadRequest(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }
}
