package dev.quarry.cli;

import dev.quarry.Quarry;
import dev.quarry.config.QuarryConfig;
import dev.quarry.config.Setting;
import dev.quarry.serve.BearerToken;
import dev.quarry.serve.ServeOptions;
import dev.quarry.server.SearchServer;
import dev.quarry.server.ServerTelemetry;
import dev.quarry.watch.LiveIndex;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "serve",
    modelTransformer = SettingOptions.Install.class,
    description = {
      "Serve an index over HTTP (GET /v1/search, /v1/status, /v1/runs, POST /v1/index): the roots",
      "are reconciled at start (an incremental run), then searched; the first line printed is the",
      "base URL. With --embeddings: serve the in-process embedding model instead, as an",
      "OpenAI-compatible endpoint (POST /v1/embeddings, GET /v1/models). Ctrl-C stops either.",
      "With a token ($QUARRY_SERVE_TOKEN or --token-file), every request must send it as",
      "'Authorization: Bearer TOKEN'; an address other than loopback requires one."
    })
final class ServeCommand implements Callable<Integer>, SettingOptions.Taker {
  @Spec CommandSpec spec;

  @Option(
      names = "--embeddings",
      description = "Serve the embedding model only (default port 8080), not an index.")
  boolean embeddings;

  @Mixin ServedTreeOptions location;

  @Option(
      names = "--no-watch",
      description =
          "Do not watch the roots for changes (then POST /v1/index reconciles them on request).")
  boolean noWatch;

  @Option(
      names = "--host",
      paramLabel = "ADDR",
      defaultValue = "127.0.0.1",
      description =
          "Address to listen on (default: ${DEFAULT-VALUE}, loopback only; 0.0.0.0: every address)."
              + " Other than loopback, a token is required.")
  String host;

  @Option(
      names = "--token-file",
      paramLabel = "PATH",
      description =
          "File holding the token requests must carry (readable by its owner only; default:"
              + " $QUARRY_SERVE_TOKEN). Never a value on the command line: 'ps' would show it.")
  Path tokenFile;

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "Port (default: 7700, with --embeddings 8080; 0: any free port).")
  Integer port;

  /** The model served (or embedding queries) and its threads, the embedder of the index's runs. */
  private final SettingOptions settings =
      SettingOptions.of(Setting.STORE, Setting.EMBEDDER, Setting.MODEL, Setting.THREADS);

  @Override
  public SettingOptions settingOptions() {
    return settings;
  }

  @Override
  public Integer call() throws Exception {
    if (port == null) {
      port = embeddings ? 8080 : 7700;
    }
    if (port < 0 || port > 65535) {
      throw new UsageException("--port must be 0..65535, got " + port);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ServeOptions options = options(err);
    if (!embeddings) {
      return serveIndex(options, out, err);
    }
    if (!location.roots.isEmpty() || location.indexDir != null) {
      throw new UsageException("--embeddings serves the model only: give no ROOT nor --index");
    }
    // The served model runs here whatever the environment says: the embedder is local before the
    // flags apply.
    QuarryConfig config =
        settings.applyTo(
            QuarryConfig.load(System.getenv()).with(Setting.EMBEDDER, "local", "serve"));
    try (GracefulStop stop =
            new GracefulStop(err, "stopping the server (requests in flight finish)");
        Quarry.EmbeddingService service =
            Quarry.serveEmbeddings(config.model(), config.threads(), options)) {
      out.println(listening(service));
      out.flush();
      stop.await();
    }
    // Closing drains the server's requests before the model is freed.
    err.println("quarry: server stopped");
    return ExitCodes.OK;
  }

  /**
   * Serves the index: listens, prints the base URL, reconciles the roots in the background and
   * serves until a signal; the server then drains, the reconcile commits and stops.
   */
  private int serveIndex(ServeOptions options, PrintWriter out, PrintWriter err) throws Exception {
    QuarryConfig config = settings.load(System.getenv());
    // One registry and run-in-progress for the process: the runs record into what the server shows
    // (GET /metrics, /v1/status). Closed last, after the runs that report to it.
    try (ServedTree tree = ServedTree.resolve(location.roots, location.indexDir, config, "serve");
        ServerTelemetry telemetry = ServerTelemetry.create()) {
      return serveIndex(options, out, err, config, tree, telemetry);
    }
  }

  @SuppressWarnings("try") // the watch is a resource only to be closed in its turn
  private int serveIndex(
      ServeOptions options,
      PrintWriter out,
      PrintWriter err,
      QuarryConfig config,
      ServedTree tree,
      ServerTelemetry telemetry)
      throws Exception {
    // Watching: the live index runs the start-up reconcile, then a sync per batch of changes; a
    // reconcile asked for over HTTP is queued behind the run in progress. Not watching: the server
    // runs its reconciles itself. No roots (a remote store's index, served as it is): neither.
    // A root gone, a full disk, a failed run, and when it is over: /v1/status says it too
    // (watch.problem).
    LiveIndex live = noWatch || !tree.indexes() ? null : tree.watch(config, telemetry, err);
    SearchServer.Reconciler reconciler =
        live != null
            ? control -> live.reconcile("asked for over HTTP (POST /v1/index)")
            : control -> tree.reconcile(config, telemetry, err, control);
    SearchServer.Config serverConfig =
        new SearchServer.Config(
            tree.source(),
            options,
            tree.opener(config),
            tree.indexes() ? Optional.of(reconciler) : Optional.empty(),
            live == null,
            live == null ? Optional.empty() : Optional.of(live::status),
            Optional.of(telemetry));
    // The watch is closed last: its run in progress commits after the server has stopped.
    try (AutoCloseable watching = live == null ? () -> {} : live::close;
        GracefulStop stop =
            new GracefulStop(
                err,
                "stopping the server (requests in flight finish, a running reconcile commits)")) {
      SearchServer server;
      try {
        server = SearchServer.start(serverConfig);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage(), e);
      }
      try (server) {
        out.println(server.baseUri());
        out.flush();
        err.println(
            "quarry: serving "
                + tree.location()
                + (live != null
                    ? " (roots reconciled, then watched; GET /readyz says when it is open)"
                    : tree.indexes()
                        ? " (roots reconciling in the background; GET /readyz says when it is"
                            + " open)"
                        : " (search only: no roots given to index into it)")
                + (server.requiresToken() ? "; a token is required" : ""));
        err.flush();
        stop.await();
      }
      err.println("quarry: server stopped");
      return stop.exitCode();
    }
  }

  /** The address and token, checked before the model is loaded. */
  private ServeOptions options(PrintWriter err) {
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new UsageException("--host " + host + ": no such address");
    }
    Optional<BearerToken> token;
    try {
      if (tokenFile != null) {
        token = Optional.of(BearerToken.fromFile(tokenFile));
        warnIfShared(tokenFile, err);
      } else {
        token = BearerToken.fromEnvironment(System.getenv());
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
    ServeOptions options = ServeOptions.of(address).withToken(token);
    if (!options.loopbackOnly() && token.isEmpty()) {
      throw new UsageException(
          "--host "
              + host
              + " is not loopback: anyone who can reach it could use the server. Set a token in $"
              + BearerToken.VARIABLE
              + " or a file given as --token-file PATH (e.g. 'openssl rand -hex 32 > token;"
              + " chmod 600 token'); clients send it as $QUARRY_EMBEDDER_API_KEY. Or serve on"
              + " 127.0.0.1.");
    }
    return options;
  }

  /** A token file others can read is no secret: say so (it still serves). */
  private static void warnIfShared(Path file, PrintWriter err) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (permissions.stream()
          .anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
        err.println(
            "quarry: warning: token file "
                + file
                + " is readable by others than its owner ("
                + PosixFilePermissions.toString(permissions)
                + "); 'chmod 600 "
                + file
                + "' keeps it secret");
      }
    } catch (UnsupportedOperationException | IOException e) {
      // Not a POSIX file system: nothing to check.
    }
  }

  /** What it prints when it listens: a URL that works (never a wildcard address) and the token. */
  private static String listening(Quarry.EmbeddingService service) {
    StringBuilder line =
        new StringBuilder("quarry: serving ")
            .append(service.modelId())
            .append(" at ")
            .append(service.baseUri())
            .append(" (POST /v1/embeddings, GET /v1/models)");
    if (service.listensOnAllAddresses()) {
      line.append("; listening on every address of this machine, port ").append(service.port());
    }
    if (service.requiresToken()) {
      line.append("; a token is required (clients send it as $QUARRY_EMBEDDER_API_KEY)");
    }
    return line.toString();
  }
}
