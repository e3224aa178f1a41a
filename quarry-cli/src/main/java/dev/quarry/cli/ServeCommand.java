package dev.quarry.cli;

import dev.quarry.config.QuarryConfig;
import dev.quarry.config.Setting;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.serve.EmbeddingServer;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    description = {
      "Serve the in-process embedding model as an OpenAI-compatible endpoint (POST /v1/embeddings,",
      "GET /v1/models), for 'quarry index --embedder openai:URL' or any OpenAI client. Ctrl-C stops it."
    })
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--embeddings", required = true, description = "Serve embeddings (the one service so far).")
  boolean embeddings;

  @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}, loopback only; there is no authentication).")
  String host;

  @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0: any free port).")
  int port;

  @Option(names = "--model", paramLabel = "NAME", description = "Embedding model (default: all-minilm-l6-v2-q).")
  String model;

  @Option(names = "--threads", paramLabel = "N", description = "Embedding threads (default: all cores).")
  String threads;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be 0..65535, got " + port);
    }
    QuarryConfig config = QuarryConfig.load(System.getenv()).with(Setting.EMBEDDER, "local", "serve");
    if (model != null) {
      config = config.with(Setting.MODEL, model, "--model");
    }
    if (threads != null) {
      config = config.with(Setting.THREADS, threads, "--threads");
    }
    try (GracefulStop stop = new GracefulStop(System.err, "stopping the server (requests in flight finish)");
        EmbeddingModel loaded = EmbeddingModels.load(config.model(), config.threads());
        EmbeddingServer server = EmbeddingServer.start(loaded, new InetSocketAddress(host, port))) {
      System.out.println("quarry: serving " + loaded.identity().id() + " at " + server.baseUri()
          + " (POST /v1/embeddings, GET /v1/models)");
      System.out.flush();
      stop.await();
    }
    // Resources close in reverse: the server drains its requests before the model is freed.
    System.err.println("quarry: server stopped");
    return ExitCodes.OK;
  }
}
