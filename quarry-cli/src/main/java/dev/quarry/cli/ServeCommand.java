package dev.quarry.cli;

import dev.quarry.Quarry;
import dev.quarry.config.QuarryConfig;
import dev.quarry.config.Setting;
import dev.quarry.serve.BearerToken;
import dev.quarry.serve.ServeOptions;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "serve",
    modelTransformer = SettingOptions.Install.class,
    description = {
      "Serve the in-process embedding model as an OpenAI-compatible endpoint (POST /v1/embeddings,",
      "GET /v1/models), for 'quarry index --embedder openai:URL' or any OpenAI client. Ctrl-C stops it.",
      "With a token ($QUARRY_SERVE_TOKEN or --token-file), every request must send it as",
      "'Authorization: Bearer TOKEN' (Quarry's client sends $QUARRY_EMBEDDER_API_KEY); an address",
      "other than loopback requires one."
    })
final class ServeCommand implements Callable<Integer>, SettingOptions.Taker {
  @Spec CommandSpec spec;

  @Option(
      names = "--embeddings",
      required = true,
      description = "Serve embeddings (the one service so far).")
  boolean embeddings;

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
      defaultValue = "8080",
      description = "Port (default: ${DEFAULT-VALUE}; 0: any free port).")
  int port;

  /** The model served and its threads. */
  private final SettingOptions settings = SettingOptions.of(Setting.MODEL, Setting.THREADS);

  @Override
  public SettingOptions settingOptions() {
    return settings;
  }

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new UsageException("--port must be 0..65535, got " + port);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ServeOptions options = options(err);
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
