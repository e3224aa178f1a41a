package dev.quarry.cli;

import dev.quarry.Quarry;
import dev.quarry.config.QuarryConfig;
import dev.quarry.config.Setting;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
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
      "GET /v1/models), for 'quarry index --embedder openai:URL' or any OpenAI client. Ctrl-C stops it."
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
          "Address to listen on (default: ${DEFAULT-VALUE}, loopback only; there is no authentication).")
  String host;

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
    // The served model runs here whatever the environment says: the embedder is local before the
    // flags apply.
    QuarryConfig config =
        settings.applyTo(
            QuarryConfig.load(System.getenv()).with(Setting.EMBEDDER, "local", "serve"));
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (GracefulStop stop =
            new GracefulStop(err, "stopping the server (requests in flight finish)");
        Quarry.EmbeddingService server =
            Quarry.serveEmbeddings(
                config.model(), config.threads(), new InetSocketAddress(host, port))) {
      out.println(
          "quarry: serving "
              + server.modelId()
              + " at "
              + server.baseUri()
              + " (POST /v1/embeddings, GET /v1/models)");
      out.flush();
      stop.await();
    }
    // Closing drains the server's requests before the model is freed.
    err.println("quarry: server stopped");
    return ExitCodes.OK;
  }
}
