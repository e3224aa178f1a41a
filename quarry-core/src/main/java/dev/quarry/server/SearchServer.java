package dev.quarry.server;

import dev.quarry.Quarry;
import dev.quarry.json.QuarryJson;
import dev.quarry.pipeline.RunControl;
import dev.quarry.serve.Admission;
import dev.quarry.serve.BoundedJetty;
import dev.quarry.serve.EmbeddingRoutes;
import dev.quarry.serve.ReadDeadlines;
import dev.quarry.serve.RequestBodies;
import dev.quarry.serve.ServeOptions;
import dev.quarry.serve.TrustedHosts;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
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
 * The resident search server: keeps an index open and answers over HTTP.
 *
 * <ul>
 *   <li>{@code GET /healthz}: 200 once it listens; {@code GET /readyz}: 200 once the index is open
 *       (503 before).
 *   <li>{@code GET /v1/search?q=&k=&mode=&path=&lang=&offset=} and {@code POST /v1/search} (a JSON
 *       object of the same fields): a {@link SearchAnswer}, with the commit generation that
 *       answered; a commit is seen within 100 ms ({@link SearchRoute}, {@link ServedSession}).
 *   <li>{@code GET /v1/status}, {@code GET /v1/runs}: what {@code quarry status --json} and {@code
 *       quarry runs --json} print; the status adds the watch, the run in progress (from {@link
 *       ServerTelemetry}) and the last commit.
 *   <li>{@code POST /v1/index}: starts a reconcile (an incremental run over the roots); 202, or 409
 *       while one runs.
 *   <li>{@code POST /v1/embeddings}, {@code GET /v1/models}: the vectors of the index's model, by
 *       the contract of {@code quarry serve --embeddings} ({@link EmbeddingRoutes}, errors in
 *       OpenAI's shape); 409 when the index has no model.
 * </ul>
 *
 * <p>Refusals are {@code {"error": "..."}} with 400 (bad parameter), 401 (token), 403 (foreign
 * Origin), 404, 405, 408, 413 (body over {@link SearchRoute#MAX_BODY_BYTES}), 415 (POST not JSON),
 * 421 (Host), 503 (not ready, or more searches than the admission allows). The guards are those of
 * the embedding server ({@link dev.quarry.serve}); no CORS headers are ever sent.
 *
 * <p>Thread-safe; {@link #close} stops accepting, lets requests in flight finish, cancels a running
 * reconcile (which commits what it has done), closes the index and removes {@code server.json}.
 */
public final class SearchServer implements AutoCloseable {
  private static final Duration GRACE = Duration.ofSeconds(10);

  /** The OpenAPI 3.1 description of the routes, written by hand beside this class. */
  private static final String OPENAPI = resource("openapi.json");

  /** Runs an incremental index run over the index's roots, honouring {@code control}. */
  @FunctionalInterface
  public interface Reconciler {
    void reconcile(RunControl control) throws IOException, InterruptedException;
  }

  /** Opens the index for search (the CLI: {@code Quarry.search(dir).embedder(spec).open()}). */
  @FunctionalInterface
  public interface SessionOpener {
    Quarry.SearchSession open() throws IOException;
  }

  /**
   * What to serve.
   *
   * @param index where the index is: a folder ({@code server.json} is written there) or a remote
   *     store
   * @param serve address, token and limits
   * @param opener opens the index for search
   * @param reconciler runs a reconcile; empty: the server only serves (POST /v1/index is 409)
   * @param reconcileAtStart whether to reconcile at once (the CLI: roots given, or the index
   *     exists)
   * @param watch the state of what keeps the index live (the watch), shown in {@code /v1/status};
   *     empty when nothing watches
   * @param telemetry the process's meters and run in progress, which the index's runs report to
   *     (the caller closes it after the server and the runs); empty: the server makes its own,
   *     showing only its own meters, and closes it
   */
  public record Config(
      IndexSource index,
      ServeOptions serve,
      SessionOpener opener,
      Optional<Reconciler> reconciler,
      boolean reconcileAtStart,
      Optional<Supplier<?>> watch,
      Optional<ServerTelemetry> telemetry) {
    public Config {
      Objects.requireNonNull(index, "index");
      Objects.requireNonNull(serve, "serve");
      Objects.requireNonNull(opener, "opener");
      Objects.requireNonNull(reconciler, "reconciler");
      Objects.requireNonNull(watch, "watch");
      Objects.requireNonNull(telemetry, "telemetry");
    }

    /** The embedded index in {@code indexDir}. */
    public Config(
        Path indexDir,
        ServeOptions serve,
        SessionOpener opener,
        Optional<Reconciler> reconciler,
        boolean reconcileAtStart,
        Optional<Supplier<?>> watch,
        Optional<ServerTelemetry> telemetry) {
      this(
          IndexSource.folder(indexDir),
          serve,
          opener,
          reconciler,
          reconcileAtStart,
          watch,
          telemetry);
    }

    /** A server with telemetry of its own. */
    public Config(
        Path indexDir,
        ServeOptions serve,
        SessionOpener opener,
        Optional<Reconciler> reconciler,
        boolean reconcileAtStart,
        Optional<Supplier<?>> watch) {
      this(indexDir, serve, opener, reconciler, reconcileAtStart, watch, Optional.empty());
    }

    /** A server whose index nobody watches: it changes by its reconciles (or other writers). */
    public Config(
        Path indexDir,
        ServeOptions serve,
        SessionOpener opener,
        Optional<Reconciler> reconciler,
        boolean reconcileAtStart) {
      this(indexDir, serve, opener, reconciler, reconcileAtStart, Optional.empty());
    }
  }

  private final Config config;
  private final Server jetty;
  private final ServerConnector connector;
  private final ReadDeadlines deadlines;
  private final CallerChecks callers;
  private final ServedSession session;
  private final SearchRoute searches;
  private final EmbeddingRoutes vectors; // its model's vectors; shares the searches' admission
  private final Reconciles reconciles;
  private final ServerFile serverFile;
  private final ServerTelemetry telemetry; // the config's, or owned
  private final ServerMetrics metrics;
  private final McpRoute mcp; // the same tools as quarry mcp, over HTTP
  private final WebPage page = WebPage.load();

  private SearchServer(Config config) {
    this.config = config;
    ServeOptions options = config.serve();
    BoundedJetty bounded = BoundedJetty.create("quarry-server", options);
    this.jetty = bounded.server();
    this.connector = bounded.connector();
    this.deadlines = bounded.deadlines();
    Admission admission = new Admission(options.maxComputing(), options.maxQueued());
    this.callers =
        new CallerChecks(
            TrustedHosts.of(options.address(), connector::getLocalPort),
            options.token(),
            () -> baseUri().getAuthority());
    this.session = new ServedSession(config.index(), config.opener(), this::reconcileError);
    this.searches = new SearchRoute(session, admission, options.readTimeout());
    this.vectors = new EmbeddingRoutes(options, admission);
    this.reconciles = new Reconciles(config.reconciler(), session);
    this.serverFile = config.index().folder().map(ServerFile::in).orElse(null);
    this.telemetry = config.telemetry().orElseGet(ServerTelemetry::create);
    this.metrics = new ServerMetrics(telemetry.prometheus());
    this.mcp =
        new McpRoute(
            new McpTools(
                new McpTools.Context(
                    session,
                    config.index(),
                    this::configuredRoots,
                    this::watchStatus,
                    telemetry::runInProgress,
                    McpStdio.DEFAULT_ANSWER_TOKENS)),
            admission,
            options.readTimeout(),
            SearchServer.class.getPackage().getImplementationVersion() == null
                ? "development"
                : SearchServer.class.getPackage().getImplementationVersion());
    jetty.setHandler(new GracefulHandler(new Routes()));
    jetty.setStopTimeout(GRACE.toMillis());
    metrics.monitor(searches.answers(), "quarry.answers");
    metrics.monitor(session.queryVectors(), "quarry.query.vectors");
    IndexGauges.register(metrics, config.index());
  }

  /**
   * Listens, writes {@code server.json}, then opens the index (at once when it exists) and starts
   * the first reconcile when asked; both go on in the background: {@code /readyz} says when the
   * index is open.
   *
   * @throws IllegalArgumentException when the address is not loopback and there is no token
   * @throws IOException when the address cannot be bound, or a live server already serves the index
   */
  public static SearchServer start(Config config) throws IOException {
    ServeOptions options = config.serve();
    if (!options.loopbackOnly() && options.token().isEmpty()) {
      throw new IllegalArgumentException(
          "serving on "
              + options.address().getHostString()
              + " (not loopback) needs a token, or anyone on the network could search the index");
    }
    Optional<ServerFile.Contents> other =
        config.index().folder().flatMap(dir -> ServerFile.in(dir).liveOther());
    if (other.isPresent()) {
      throw new IOException(
          "a server already serves the index at "
              + config.index().location()
              + ": "
              + other.get().url()
              + " (pid "
              + other.get().pid()
              + ")");
    }
    SearchServer server = new SearchServer(config);
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
    if (server.serverFile != null) { // a remote store's writers are kept apart by its own locks
      try {
        server.serverFile.write(server.baseUri(), Instant.now());
      } catch (IOException e) {
        server.close();
        throw new IOException(
            "cannot write " + server.serverFile.path() + ": " + e.getMessage(), e);
      }
    }
    server.session.openIfDue(); // when it is not there yet, a request tries again
    if (config.reconcileAtStart() && config.reconciler().isPresent()) {
      server.reconcile();
    }
    return server;
  }

  /**
   * The base URL of the live server that serves the index in {@code indexDir}, from its {@code
   * server.json}; empty when none does (no file, or its process has ended).
   */
  public static Optional<URI> runningFor(Path indexDir) {
    return ServerFile.in(indexDir).liveOther().map(c -> URI.create(c.url()));
  }

  /** The base URL, e.g. {@code http://127.0.0.1:7700}; on a wildcard address, the loopback one. */
  public URI baseUri() {
    InetAddress ip = config.serve().address().getAddress();
    String host;
    if (ip == null || ip.isAnyLocalAddress()) {
      host = "127.0.0.1";
    } else {
      host = ip.getHostAddress();
      if (host.contains(":")) {
        host = "[" + host + "]";
      }
    }
    return URI.create("http://" + host + ":" + port());
  }

  public int port() {
    return connector.getLocalPort();
  }

  /** Whether requests must carry a token. */
  public boolean requiresToken() {
    return config.serve().token().isPresent();
  }

  /** Whether the index is open for search. */
  public boolean ready() {
    return session.isOpen();
  }

  /**
   * Starts a reconcile in the background, unless one runs (or there is no reconciler).
   *
   * @return whether one was started
   */
  public boolean reconcile() {
    return reconciles.start();
  }

  /** Waits for the reconcile started last (for tests and shutdown). */
  public void awaitReconcile(Duration timeout)
      throws InterruptedException, TimeoutException, ExecutionException {
    reconciles.awaitLast(timeout);
  }

  /** The result cache's hits and misses so far. */
  public long[] cacheHitsAndMisses() {
    var stats = searches.answers().stats();
    return new long[] {stats.hitCount(), stats.missCount()};
  }

  /** The query-vector cache's hits and misses so far. */
  public long[] queryVectorHitsAndMisses() {
    var stats = session.queryVectors().stats();
    return new long[] {stats.hitCount(), stats.missCount()};
  }

  /** Why the index may be missing or stale: the last reconcile's failure. */
  private String reconcileError() {
    return reconciles == null ? null : reconciles.lastError();
  }

  @Override
  public void close() {
    try {
      jetty.stop(); // stops accepting, waits for requests in flight (GracefulHandler)
    } catch (Exception e) {
      // The connector is closed first: nothing is served any more.
    }
    mcp.shutdown();
    reconciles.close(); // a running reconcile commits what it has done and stops
    session.close();
    if (serverFile != null) {
      serverFile.deleteIfOurs();
    }
    if (config.telemetry().isEmpty()) {
      telemetry.close();
    }
  }

  /** The routes, behind the checks every request passes. */
  private final class Routes extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      long start = System.nanoTime();
      Connection connection = request.getConnectionMetaData().getConnection();
      Duration left = deadlines.enter(connection);
      Callback done =
          Callback.from(
              () -> {
                deadlines.arm(connection);
                callback.succeeded();
              },
              callback::failed);
      int status;
      Object body;
      String[] headers = new String[0];
      try {
        body = route(request, left);
        status = body instanceof Accepted ? 202 : 200;
      } catch (HttpError e) {
        // A body the route refused unread (401, 413, 415, 400 ...): read and dropped first, if it
        // is small, or a client still sending it meets a closed connection instead of the answer
        // (HttpClient: "header parser received no bytes" on its next request).
        RequestBodies.drainIfSmall(request, left);
        status = e.status;
        body = Map.of("error", e.getMessage());
        headers = e.headers;
        if (EmbeddingRoutes.serves(request.getHttpURI().getPath())) { // OpenAI's error shape
          body = EmbeddingRoutes.refusal(e.status, e.getMessage(), e.headers);
        }
      } catch (EmbeddingRoutes.ClientGone e) {
        callback.failed(e); // no one to answer
        return true;
      } catch (RuntimeException e) {
        status = 500;
        body = Map.of("error", "internal error: " + e);
      }
      byte[] bytes;
      String type = "application/json";
      if (body instanceof PlainText text) {
        bytes = text.text().getBytes(StandardCharsets.UTF_8);
        type = text.type();
      } else if (body instanceof SearchRoute.JsonAnswer answer) {
        bytes = answer.json();
      } else if (body instanceof WebPage.Asset asset) {
        bytes = asset.bytes();
        type = asset.type();
        response.getHeaders().put("Content-Security-Policy", WebPage.CONTENT_SECURITY_POLICY);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
      } else if (body instanceof McpRoute.Reply reply) {
        status = reply.status();
        bytes = reply.json();
      } else if (body instanceof EmbeddingRoutes.Answer answer) {
        status = answer.status();
        bytes = answer.json();
        answer.headers().forEach(response.getHeaders()::put);
      } else {
        try {
          bytes = QuarryJson.MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
          status = 500;
          bytes = "{\"error\":\"cannot write the answer\"}".getBytes(StandardCharsets.UTF_8);
        }
      }
      metrics.request(
          request.getHttpURI().getPath(),
          body instanceof SearchRoute.JsonAnswer answer ? answer.mode() : null,
          status,
          System.nanoTime() - start);
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
      for (int i = 0; i + 1 < headers.length; i += 2) {
        response.getHeaders().put(headers[i], headers[i + 1]);
      }
      response.write(true, ByteBuffer.wrap(bytes), done);
      return true;
    }
  }

  /** A reconcile was started (202). */
  private record Accepted(String status) {}

  private static String resource(String name) {
    try (var in = SearchServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** An answer written as it is, not as JSON of an object ({@code /metrics}, the OpenAPI text). */
  private record PlainText(String text, String type) {}

  private Object route(Request request, Duration left) {
    String path = Objects.requireNonNullElse(request.getHttpURI().getPath(), "");
    if (page.serves(path)) {
      callers.checkSite(request);
      CallerChecks.requireMethod(request, "GET");
      return page.get(path);
    }
    callers.check(request);
    return switch (path) {
      case "/healthz" -> {
        CallerChecks.requireMethod(request, "GET");
        yield Map.of("status", "ok");
      }
      case "/readyz" -> {
        CallerChecks.requireMethod(request, "GET");
        session.require();
        yield Map.of("status", "ready");
      }
      case "/metrics" -> {
        CallerChecks.requireMethod(request, "GET");
        yield new PlainText(metrics.scrape(), "text/plain; version=0.0.4; charset=utf-8");
      }
      case "/v1/openapi.json" -> {
        CallerChecks.requireMethod(request, "GET");
        yield new PlainText(OPENAPI, "application/json");
      }
      case "/v1/search" -> searches.answer(request, left);
      case "/mcp" -> mcp.answer(request, left);
      case "/v1/embeddings", "/v1/models" ->
          vectors.answer(request, left, Optional.ofNullable(session.require().model()));
      case "/v1/status" -> {
        // Answered before the index is open too: while a first run builds it, the run in
        // progress is what there is to see (the web page's dashboard shows it).
        CallerChecks.requireMethod(request, "GET");
        yield status();
      }
      case "/v1/runs" -> {
        CallerChecks.requireMethod(request, "GET");
        session.require();
        try {
          yield config.index().runs();
        } catch (IOException e) {
          throw new HttpError(503, "cannot read the index's runs: " + e.getMessage());
        }
      }
      case "/v1/index" -> {
        CallerChecks.requireMethod(request, "POST");
        if (config.reconciler().isEmpty()) {
          throw new HttpError(409, "this server has no roots to reconcile");
        }
        if (!reconciles.start()) {
          throw new HttpError(409, "a reconcile is running already");
        }
        yield new Accepted("reconciling");
      }
      default ->
          throw new HttpError(
              404,
              "no such endpoint: "
                  + path
                  + " (this server has /healthz, /readyz, /metrics, /v1/search, /v1/status,"
                  + " /v1/runs, /v1/index, /v1/embeddings, /v1/models, /v1/openapi.json, /mcp,"
                  + " and its web page at /)");
    };
  }

  /** The roots a reconcile would index: those the index records (none before its first run). */
  private java.util.List<Path> configuredRoots() {
    try {
      return config.index().exists() ? config.index().roots() : java.util.List.of();
    } catch (IOException e) {
      return java.util.List.of();
    }
  }

  private Optional<dev.quarry.watch.LiveIndex.Status> watchStatus() {
    return config
        .watch()
        .map(Supplier::get)
        .filter(dev.quarry.watch.LiveIndex.Status.class::isInstance)
        .map(dev.quarry.watch.LiveIndex.Status.class::cast);
  }

  private Object status() {
    try {
      Map<String, Object> out = new LinkedHashMap<>();
      // Null until the first run has committed something.
      out.put("index", config.index().exists() ? config.index().status() : null);
      out.put("reconciling", reconciles.running());
      out.put(
          "lastReconcileError", reconcileError() != null ? reconcileError() : session.openError());
      out.put("watch", config.watch().map(Supplier::get).orElse(null));
      out.put("run", telemetry.runInProgress().orElse(null)); // issue 12: the run in progress
      Quarry.SearchSession open = session.current();
      if (open != null) {
        session.refreshNow(open);
        out.put("lastCommit", LastCommit.of(open));
      }
      return out;
    } catch (IOException e) {
      throw new HttpError(503, "cannot read the index's status: " + e.getMessage());
    }
  }
}
