package dev.quarry.serve;

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
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;

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
 * <p>What it refuses, each with an OpenAI-style JSON error ({@code {"error":{"message","type",
 * "code"}}}): a {@code Host} that does not name this server (421) or a foreign {@code Origin}
 * (403), so that a web page cannot use it through a browser; a request without the {@link
 * BearerToken} when one is set (401); a POST that is not {@code application/json} (415); more
 * requests than {@link ServeOptions#maxComputing} plus {@link ServeOptions#maxQueued} (503 with
 * {@code Retry-After}). A client that does not send its whole request within {@link
 * ServeOptions#readTimeout} is dropped (408 when its headers came); a queued request whose client
 * has gone is not computed.
 *
 * <p>The HTTP server is Jetty (its core API, no servlets): unlike the JDK's, whose limits are
 * JVM-wide system properties, it takes per-server limits, bounds connections and is what the later
 * search server builds on. Requests run on virtual threads; the model is thread-safe. {@link
 * #close} stops accepting, lets requests in flight finish (up to a grace period) and does not close
 * the model (its owner does).
 */
public final class EmbeddingServer implements AutoCloseable {
  /** The name of the extra field of {@code /v1/models} entries that carries Quarry's identity. */
  public static final String IDENTITY_FIELD = ModelList.IDENTITY_FIELD;

  /** See {@link ServeOptions#DEFAULT_MAX_REQUEST_BYTES}. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = ServeOptions.DEFAULT_MAX_REQUEST_BYTES;

  /** OpenAI's own limit on inputs per request. */
  public static final int MAX_INPUTS = 2048;

  /** How long {@link #close} waits for requests in flight. */
  private static final Duration GRACE = Duration.ofSeconds(10);

  /** What a client told to come back (503) waits: about the time a queue of batches takes. */
  private static final String RETRY_AFTER_SECONDS = "1";

  private final Server jetty;
  private final ServerConnector connector;
  private final EmbeddingModel model;
  private final ServeOptions options;
  private final ReadDeadlines deadlines;
  private final Admission admission;
  private final TrustedHosts trusted;

  private EmbeddingServer(EmbeddingModel model, ServeOptions options) {
    this.model = model;
    this.options = options;
    BoundedJetty bounded = BoundedJetty.create("quarry-serve", options);
    this.jetty = bounded.server();
    this.connector = bounded.connector();
    this.deadlines = bounded.deadlines();
    this.admission = new Admission(options.maxComputing(), options.maxQueued());
    this.trusted = TrustedHosts.of(options.address(), connector::getLocalPort);
    jetty.setHandler(new GracefulHandler(new Endpoints()));
    jetty.setStopTimeout(GRACE.toMillis());
  }

  /**
   * Starts serving {@code model} on {@code address} (port 0: any free port) with the default limits
   * and no token.
   *
   * @throws IOException when the address cannot be bound
   * @throws IllegalArgumentException when the address is not loopback (a token is required there)
   */
  public static EmbeddingServer start(EmbeddingModel model, InetSocketAddress address)
      throws IOException {
    return start(model, ServeOptions.of(address));
  }

  /** As {@link #start(EmbeddingModel, InetSocketAddress)} with a bound on the request body. */
  public static EmbeddingServer start(
      EmbeddingModel model, InetSocketAddress address, int maxRequestBytes) throws IOException {
    return start(model, ServeOptions.of(address).withMaxRequestBytes(maxRequestBytes));
  }

  /**
   * Starts serving {@code model} as {@code options} say.
   *
   * @throws IOException when the address cannot be bound
   * @throws IllegalArgumentException when the address is not loopback and there is no token: the
   *     server would answer anyone on the network
   */
  public static EmbeddingServer start(EmbeddingModel model, ServeOptions options)
      throws IOException {
    if (!options.loopbackOnly() && options.token().isEmpty()) {
      throw new IllegalArgumentException(
          "serving on "
              + options.address().getHostString()
              + " (not loopback) needs a token, or anyone on the network could use the server;"
              + " set $"
              + BearerToken.VARIABLE
              + " or give a token file");
    }
    EmbeddingServer server = new EmbeddingServer(model, options);
    try {
      server.jetty.start();
    } catch (Exception e) {
      server.close();
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof BindException bind) {
          throw new IOException(
              "cannot listen on "
                  + options.address().getHostString()
                  + ":"
                  + options.address().getPort()
                  + ": "
                  + bind.getMessage(),
              e);
        }
      }
      throw e instanceof IOException io ? io : new IOException("cannot start the server: " + e, e);
    }
    return server;
  }

  /**
   * The base URL clients on this machine use, e.g. {@code http://127.0.0.1:8080/v1}; on a wildcard
   * address (see {@link #listensOnAllAddresses}), the loopback one.
   */
  public URI baseUri() {
    InetAddress ip = options.address().getAddress();
    String host;
    if (ip == null || ip.isAnyLocalAddress()) {
      host = ip instanceof Inet6Address ? "[::1]" : "127.0.0.1";
    } else {
      host = ip.getHostAddress();
      if (host.contains(":")) {
        host = "[" + host + "]";
      }
    }
    return URI.create("http://" + host + ":" + port() + "/v1");
  }

  /** Whether it listens on every address of the machine (a wildcard such as 0.0.0.0). */
  public boolean listensOnAllAddresses() {
    InetAddress ip = options.address().getAddress();
    return ip != null && ip.isAnyLocalAddress();
  }

  /** Whether requests must carry a token. */
  public boolean requiresToken() {
    return options.token().isPresent();
  }

  public int port() {
    return connector.getLocalPort();
  }

  /** The requests waiting for the model now (for tests and, later, metrics). */
  int waiting() {
    return admission.waiting();
  }

  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (Exception e) {
      // Stopping failed half-way: the connector is closed first, so nothing is served any more.
    }
  }

  /** The routes, behind the checks every request passes. */
  private final class Endpoints extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      Connection connection = request.getConnectionMetaData().getConnection();
      Duration left = deadlines.enter(connection);
      // The next request on this connection gets its own time from the end of this answer.
      Callback done =
          Callback.from(
              () -> {
                deadlines.arm(connection);
                callback.succeeded();
              },
              callback::failed);
      Answer answer;
      try {
        answer = answer(request, left);
      } catch (BadRequest e) {
        answer = Answer.error(e.status, e.code, e.getMessage());
        answer.headers = e.headers;
      } catch (ClientGone e) {
        callback.failed(e);
        return true;
      } catch (EmbeddingException e) {
        answer = Answer.error(500, "model_error", "the model failed: " + e.getMessage());
      } catch (RuntimeException e) {
        answer = Answer.error(500, "internal_error", e.toString());
      }
      byte[] bytes = OpenAiWire.write(answer.body);
      response.setStatus(answer.status);
      HttpFields.Mutable headers = response.getHeaders();
      headers.put(HttpHeader.CONTENT_TYPE, "application/json");
      headers.put(HttpHeader.CONTENT_LENGTH, bytes.length);
      for (int i = 0; i + 1 < answer.headers.length; i += 2) {
        headers.put(answer.headers[i], answer.headers[i + 1]);
      }
      response.write(true, ByteBuffer.wrap(bytes), done);
      return true;
    }
  }

  /** A status, a JSON body and extra headers (name, value, ...). */
  private static final class Answer {
    final int status;
    final Object body;
    String[] headers = new String[0];

    /** What computing found out about the connection. */
    static final class Extra {
      boolean closeAfter;
    }

    Answer(int status, Object body) {
      this.status = status;
      this.body = body;
    }

    static Answer error(int status, String code, String message) {
      return new Answer(status, ErrorResponse.of(status, code, message));
    }
  }

  private Answer answer(Request request, Duration left) throws ClientGone {
    HttpFields headers = request.getHeaders();
    String host = headers.get(HttpHeader.HOST);
    if (!trusted.allowsHost(host)) {
      throw new BadRequest(
          421,
          "misdirected_request",
          "the Host header '"
              + host
              + "' does not name this server; use "
              + baseUri().getAuthority()
              + " or localhost");
    }
    String origin = headers.get(HttpHeader.ORIGIN);
    if (!trusted.allowsOrigin(origin)) {
      throw new BadRequest(
          403,
          "forbidden_origin",
          "requests from web pages of other sites are refused (Origin '" + origin + "')");
    }
    if (options.token().isPresent()
        && !options.token().get().matches(headers.get(HttpHeader.AUTHORIZATION))) {
      BadRequest refused =
          new BadRequest(
              401,
              "invalid_api_key",
              headers.get(HttpHeader.AUTHORIZATION) == null
                  ? "this server requires a token: send 'Authorization: Bearer TOKEN'"
                      + " (Quarry sends $QUARRY_EMBEDDER_API_KEY)"
                  : "the token sent is not this server's");
      refused.headers = new String[] {"WWW-Authenticate", "Bearer"};
      throw refused;
    }
    String path = request.getHttpURI().getPath();
    return switch (path == null ? "" : path) {
      case "/v1/embeddings" -> embeddings(request, left);
      case "/v1/models" -> models(request);
      default ->
          throw new BadRequest(
              404,
              "not_found",
              "no such endpoint: "
                  + path
                  + " (this server has POST /v1/embeddings and GET /v1/models)");
    };
  }

  private Answer models(Request request) {
    requireMethod(request, "GET");
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
    return new Answer(
        200,
        ModelList.of(List.of(new ModelList.Model(identity.name(), "model", 0L, "quarry", quarry))));
  }

  private Answer embeddings(Request request, Duration left) throws ClientGone {
    requireMethod(request, "POST");
    requireJson(request);
    long declared = request.getLength();
    if (declared > options.maxRequestBytes()) {
      throw tooLarge();
    }
    if (!admission.tryEnter()) {
      BadRequest busy =
          new BadRequest(
              503,
              "overloaded",
              "the server is busy ("
                  + options.maxComputing()
                  + " requests computing, "
                  + options.maxQueued()
                  + " waiting); retry later");
      busy.headers = new String[] {"Retry-After", RETRY_AFTER_SECONDS};
      throw busy;
    }
    try {
      EmbeddingsRequest parsed = parse(readBody(request, left));
      ModelIdentity identity = model.identity();
      String asked = parsed.model();
      if (asked != null && !asked.equals(identity.name()) && !asked.equals(identity.id())) {
        throw new BadRequest(
            404,
            "model_not_found",
            "model '" + asked + "' is not served here; this server has '" + identity.name() + "'");
      }
      String format = parsed.encodingFormat();
      if (format != null && !EmbeddingsRequest.FLOAT.equals(format)) {
        throw new BadRequest(
            400,
            "invalid_request_error",
            "encoding_format '" + format + "' is not supported (only 'float')");
      }
      List<String> inputs = inputs(parsed);
      Answer.Extra extra = new Answer.Extra();
      List<float[]> vectors = compute(request, inputs, extra);
      long tokens = 0;
      for (String input : inputs) {
        tokens += model.tokenizer().countTokens(input) + 2; // [CLS] and [SEP], as OpenAI counts all
      }
      Answer ok = new Answer(200, EmbeddingsResponse.of(identity.name(), vectors, tokens));
      if (extra.closeAfter) {
        ok.headers = new String[] {"Connection", "close"};
      }
      return ok;
    } finally {
      admission.leave();
    }
  }

  /**
   * Waits for the model, then embeds, unless the client has gone meanwhile (it would be work for no
   * one, and clients that time out under load would otherwise make the queue longer still).
   */
  private List<float[]> compute(Request request, List<String> inputs, Answer.Extra extra)
      throws ClientGone {
    boolean waited;
    try {
      waited = admission.awaitTurn();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientGone("interrupted while waiting for the model");
    }
    try {
      if (waited) {
        switch (ClientProbe.probe(request.getConnectionMetaData().getConnection().getEndPoint())) {
          case GONE -> throw new ClientGone("the client left while its request waited");
          case SENT_MORE -> extra.closeAfter = true;
          case WAITING -> {}
        }
      }
      return model.embed(inputs);
    } finally {
      admission.done();
    }
  }

  private static void requireMethod(Request request, String method) {
    if (!request.getMethod().equalsIgnoreCase(method)) {
      BadRequest refused =
          new BadRequest(
              405,
              "method_not_allowed",
              request.getMethod()
                  + " is not allowed on "
                  + request.getHttpURI().getPath()
                  + "; use "
                  + method);
      refused.headers = new String[] {"Allow", method};
      throw refused;
    }
  }

  /**
   * A POST must say it is JSON: a web page can send {@code text/plain} (a "simple" request) across
   * sites without the browser asking first, but not {@code application/json}.
   */
  private static void requireJson(Request request) {
    String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    String base = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!base.equals("application/json")) {
      throw new BadRequest(
          415,
          "unsupported_media_type",
          "the request's Content-Type must be application/json, got "
              + (type == null ? "none" : "'" + type + "'"));
    }
  }

  /** The body, read within the time left of the request's deadline. */
  private byte[] readBody(Request request, Duration left) throws ClientGone {
    CompletableFuture<byte[]> body = new CompletableFuture<>();
    Content.Source.asByteArrayAsync(
        request, options.maxRequestBytes(), Promise.Invocable.toPromise(body));
    try {
      return body.get(left.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      body.cancel(true);
      BadRequest late =
          new BadRequest(
              408,
              "request_timeout",
              "the request was not received within " + options.readTimeout().toMillis() + " ms");
      late.headers = new String[] {"Connection", "close"};
      throw late;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException) {
        throw new ClientGone("the client left while sending: " + e.getCause());
      }
      throw tooLarge(); // the only other failure: more than the bound
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientGone("interrupted while reading the request");
    }
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

  private BadRequest tooLarge() {
    return new BadRequest(
        413,
        "request_too_large",
        "the request body is larger than " + options.maxRequestBytes() + " bytes");
  }

  private static EmbeddingsRequest parse(byte[] body) {
    try {
      return OpenAiWire.read(body, EmbeddingsRequest.class);
    } catch (WireFormatException e) {
      throw new BadRequest(
          400, e.json() ? "invalid_request_error" : "invalid_json", e.getMessage());
    }
  }

  /** A request the server refuses, with its HTTP status and OpenAI-style error code. */
  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;
    String[] headers = new String[0];

    BadRequest(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }

  /** The client is gone: there is no one to answer. */
  private static final class ClientGone extends Exception {
    private static final long serialVersionUID = 1L;

    ClientGone(String message) {
      super(message, null, false, false);
    }
  }
}
