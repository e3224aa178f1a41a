package dev.quarry.serve;

import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.openai.ModelList;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;

/**
 * An OpenAI-compatible embeddings endpoint over an in-process {@link EmbeddingModel}, and nothing
 * else (a search server serves the same {@link EmbeddingRoutes} for its index's model):
 *
 * <ul>
 *   <li>{@code POST /v1/embeddings} with {@code {"model": NAME, "input": "text" | ["text", ...]}}
 *       answers {@code
 *       {"object":"list","data":[{"object":"embedding","index":i,"embedding":[...]}],
 *       "model":NAME,"usage":{"prompt_tokens":n,"total_tokens":n}}};
 *   <li>{@code GET /v1/models} lists the one model, with an extra {@code quarry} object holding its
 *       {@link dev.quarry.embed.ModelIdentity} (and {@code id()}), so a Quarry client knows it gets
 *       the vectors its local model would give and can share an index or cache with local runs.
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
  public static final int MAX_INPUTS = EmbeddingRoutes.MAX_INPUTS;

  /** How long {@link #close} waits for requests in flight. */
  private static final Duration GRACE = Duration.ofSeconds(10);

  private final Server jetty;
  private final ServerConnector connector;
  private final EmbeddingModel model;
  private final ServeOptions options;
  private final ReadDeadlines deadlines;
  private final Admission admission;
  private final TrustedHosts trusted;
  private final EmbeddingRoutes routes;

  private EmbeddingServer(EmbeddingModel model, ServeOptions options) {
    this.model = model;
    this.options = options;
    BoundedJetty bounded = BoundedJetty.create("quarry-serve", options);
    this.jetty = bounded.server();
    this.connector = bounded.connector();
    this.deadlines = bounded.deadlines();
    this.admission = new Admission(options.maxComputing(), options.maxQueued());
    this.trusted = TrustedHosts.of(options.address(), connector::getLocalPort);
    this.routes = new EmbeddingRoutes(options, admission);
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
      EmbeddingRoutes.Answer answer;
      try {
        answer = answer(request, left);
      } catch (Refusal e) {
        answer = EmbeddingRoutes.refused(e);
      } catch (EmbeddingRoutes.ClientGone e) {
        callback.failed(e);
        return true;
      } catch (RuntimeException e) {
        answer = EmbeddingRoutes.refused(new Refusal(500, "internal_error", e.toString()));
      }
      response.setStatus(answer.status());
      HttpFields.Mutable headers = response.getHeaders();
      headers.put(HttpHeader.CONTENT_TYPE, "application/json");
      headers.put(HttpHeader.CONTENT_LENGTH, answer.json().length);
      answer.headers().forEach(headers::put);
      response.write(true, ByteBuffer.wrap(answer.json()), done);
      return true;
    }
  }

  private EmbeddingRoutes.Answer answer(Request request, Duration left) {
    HttpFields headers = request.getHeaders();
    String host = headers.get(HttpHeader.HOST);
    if (!trusted.allowsHost(host)) {
      throw new Refusal(
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
      throw new Refusal(
          403,
          "forbidden_origin",
          "requests from web pages of other sites are refused (Origin '" + origin + "')");
    }
    if (options.token().isPresent()
        && !options.token().get().matches(headers.get(HttpHeader.AUTHORIZATION))) {
      throw new Refusal(
          401,
          "invalid_api_key",
          headers.get(HttpHeader.AUTHORIZATION) == null
              ? "this server requires a token: send 'Authorization: Bearer TOKEN'"
                  + " (Quarry sends $QUARRY_EMBEDDER_API_KEY)"
              : "the token sent is not this server's",
          "WWW-Authenticate",
          "Bearer");
    }
    String path = request.getHttpURI().getPath();
    if (!EmbeddingRoutes.serves(path)) {
      throw new Refusal(
          404,
          "not_found",
          "no such endpoint: "
              + path
              + " (this server has POST /v1/embeddings and GET /v1/models)");
    }
    return routes.answer(request, left, Optional.of(model));
  }
}
