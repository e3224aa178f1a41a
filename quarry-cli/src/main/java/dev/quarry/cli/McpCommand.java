package dev.quarry.cli;

import dev.quarry.config.QuarryConfig;
import dev.quarry.config.Setting;
import dev.quarry.pipeline.RunControl;
import dev.quarry.server.McpStdio;
import dev.quarry.server.ServerTelemetry;
import dev.quarry.watch.LiveIndex;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "mcp",
    modelTransformer = SettingOptions.Install.class,
    description = {
      "Serve the index to an MCP client (a coding agent) on stdin and stdout: tools search, read",
      "and status. The roots are indexed in the background (a new index answers lexically as soon",
      "as text is committed) and watched for changes; no call waits for indexing. Stdout carries",
      "the protocol only; messages go to stderr. Ends when the client closes stdin."
    })
final class McpCommand implements Callable<Integer>, SettingOptions.Taker {
  @Spec CommandSpec spec;

  @Mixin ServedTreeOptions location;

  @Option(
      names = "--no-watch",
      description = "Index the roots once at start, then leave them (no watching).")
  boolean noWatch;

  @Option(
      names = "--answer-tokens",
      paramLabel = "N",
      description =
          "Size budget of one answer, in estimated tokens (default: ${DEFAULT-VALUE}); a search"
              + " answer that would be larger ends with a cursor for the next page.",
      defaultValue = "" + McpStdio.DEFAULT_ANSWER_TOKENS)
  int answerTokens;

  /** The model of new vectors and of query vectors, and its threads. */
  private final SettingOptions settings =
      SettingOptions.of(Setting.STORE, Setting.EMBEDDER, Setting.MODEL, Setting.THREADS);

  @Override
  public SettingOptions settingOptions() {
    return settings;
  }

  @Override
  public Integer call() throws Exception {
    if (answerTokens < 500) {
      throw new UsageException("--answer-tokens must be 500 or more, got " + answerTokens);
    }
    // Stdout is the protocol's: anything else printed there (a library's line, a stray message)
    // would break the client's parser, so the process's System.out is stderr from here on.
    PrintStream protocol = System.out;
    System.setOut(System.err);
    PrintWriter err = spec.commandLine().getErr();
    QuarryConfig config = settings.load(System.getenv());
    try (ServedTree tree = ServedTree.resolve(location.roots, location.indexDir, config, "mcp");
        ServerTelemetry telemetry = ServerTelemetry.create()) {
      return serve(tree, config, telemetry, protocol, err);
    }
  }

  @SuppressWarnings("try") // the watch and the stop are resources only to be closed in their turn
  private int serve(
      ServedTree tree,
      QuarryConfig config,
      ServerTelemetry telemetry,
      PrintStream protocol,
      PrintWriter err)
      throws Exception {
    Optional<URI> server = tree.servedBy();
    LiveIndex live = null;
    RunControl once = new RunControl();
    Thread firstRun = null;
    if (server.isPresent()) {
      // That server keeps the index live: a second writer would only wait for its lock.
      err.println("quarry: " + server.get() + " keeps the index live; searching it as it goes");
    } else if (!tree.indexes()) {
      err.println("quarry: no roots given: searching " + tree.location() + " as it is");
    } else if (noWatch) {
      firstRun =
          Thread.ofPlatform()
              .name("quarry-mcp-index")
              .daemon()
              .start(() -> indexOnce(tree, config, telemetry, once, err));
    } else {
      live = tree.watch(config, telemetry, err);
    }
    LiveIndex watching = live;
    try (AutoCloseable closeWatch = watching == null ? () -> {} : watching::close;
        GracefulStop stop = new GracefulStop(err, "stopping (a run in progress commits)");
        McpStdio mcp =
            McpStdio.start(
                new McpStdio.Config(
                    tree.source(),
                    tree.opener(config),
                    tree::roots,
                    () -> Optional.ofNullable(watching).map(LiveIndex::status),
                    telemetry::runInProgress,
                    answerTokens,
                    version()),
                System.in,
                protocol)) {
      err.println(
          "quarry: MCP server on stdio for "
              + tree.location()
              + (watching != null ? " (roots indexed, then watched)" : ""));
      err.flush();
      Thread.ofVirtual().start(() -> closeOnSignal(stop, mcp));
      mcp.awaitEnd();
      once.cancel();
      if (firstRun != null) {
        firstRun.join();
      }
      return stop.stopped() ? stop.exitCode() : ExitCodes.OK;
    }
  }

  private static void indexOnce(
      ServedTree tree,
      QuarryConfig config,
      ServerTelemetry telemetry,
      RunControl control,
      PrintWriter err) {
    try {
      tree.reconcile(config, telemetry, err, control);
    } catch (Exception e) {
      err.println(
          "quarry: the index run failed: " + TerminalText.safe(String.valueOf(e.getMessage())));
      err.flush();
    }
  }

  private static void closeOnSignal(GracefulStop stop, McpStdio mcp) {
    try {
      stop.await();
      mcp.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String version() {
    String v = McpCommand.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }
}
