package dev.quarry.cli;

import dev.quarry.Quarry;
import dev.quarry.config.QuarryConfig;
import dev.quarry.config.Setting;
import dev.quarry.pipeline.FileOutcome;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.pipeline.RunAssembler;
import dev.quarry.pipeline.RunListener;
import dev.quarry.pipeline.RunReport;
import dev.quarry.pipeline.RunSummary;
import dev.quarry.store.IndexMissingException;
import dev.quarry.store.RemoteStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "index",
    modelTransformer = SettingOptions.Install.class,
    description = {
      "Index one or more folders, or bring their index up to date (only changed files are read).",
      "Without ROOT: the roots of the index found from the current directory, else the current directory."
    })
final class IndexCommand implements Callable<Integer>, SettingOptions.Taker {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "ROOT", arity = "0..*", description = "Folders to index.")
  List<Path> roots = new ArrayList<>();

  @Option(
      names = "--index",
      paramLabel = "DIR",
      description = "Index directory (default: FIRST_ROOT/.quarry).")
  Path indexDir;

  @Mixin OutputOptions output;

  @Option(
      names = "--no-embed",
      description = "Lexical only: skip embeddings (a later run without it adds them).")
  boolean noEmbed;

  /**
   * The settings a run uses, as flags; parsed by QuarryConfig with the config file and the
   * environment.
   */
  private final SettingOptions settings =
      SettingOptions.of(
          Setting.STORE,
          Setting.EMBEDDER,
          Setting.MODEL,
          Setting.CHUNKER,
          Setting.MAX_FILE_SIZE,
          Setting.FOLLOW_SYMLINKS,
          Setting.THREADS,
          Setting.WORKERS,
          Setting.SCAN_THREADS,
          Setting.BATCH_SIZE,
          Setting.COMMIT_INTERVAL,
          Setting.COMMIT_CHUNKS,
          Setting.CACHE_DIR,
          Setting.CACHE_SIZE,
          Setting.CACHE_REDIS);

  @Override
  public SettingOptions settingOptions() {
    return settings;
  }

  @Override
  public Integer call() throws Exception {
    QuarryConfig config =
        settings.load(System.getenv()); // first: a bad setting fails before any work
    if (config.store().isPresent()) {
      if (indexDir != null) {
        throw new UsageException(IndexLocation.INDEX_WITH_STORE);
      }
      try (RemoteStore remote = Quarry.remoteStore(config.store().get())) {
        List<Path> resolvedRoots = roots.isEmpty() ? List.of(here()) : givenRoots();
        // The options' folder is unused: the run writes into the store.
        IndexOptions options =
            options(config, resolvedRoots, resolvedRoots.get(0).resolve(".quarry"));
        return run(config, options, remote.location(), assembler -> assembler.into(remote));
      }
    }
    List<Path> resolvedRoots = resolveRoots();
    Path index =
        indexDir != null
            ? indexDir.toAbsolutePath().normalize()
            : resolvedRoots.get(0).resolve(IndexLocator.DEFAULT_DIR_NAME);
    IndexOptions options = options(config, resolvedRoots, index);
    ServedIndex.refuseIfServed(index);
    return run(config, options, index.toString(), assembler -> assembler);
  }

  private int run(
      QuarryConfig config, IndexOptions options, String index, UnaryOperator<RunAssembler> into)
      throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    ProgressPrinter progress = new ProgressPrinter(err, Terminal.isInteractive());
    try (GracefulStop stop = new GracefulStop(err)) {
      RunListener warningsOnly =
          new RunListener() {
            @Override
            public void onWarning(String message) {
              err.println("quarry: warning: " + TerminalText.safe(message));
            }
          };
      RunSummary summary =
          into.apply(Quarry.run(options))
              .embedder(config.embedder())
              .listener(output.progress() ? progress : warningsOnly)
              .control(stop.control())
              .index();
      progress.finish();
      printResult(spec.commandLine().getOut(), summary, index, output.json());
      return exitCode(summary, stop);
    }
  }

  /**
   * The run's options. Its settings are checked already, so what IndexOptions can still refuse is
   * the roots as given (one twice, or one inside another): the user's to fix.
   */
  private IndexOptions options(QuarryConfig config, List<Path> resolvedRoots, Path index) {
    try {
      return config.indexOptions(resolvedRoots, index, !noEmbed);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  /** The summary, as JSON or for people. */
  static void printResult(PrintWriter out, RunSummary summary, String index, boolean json) {
    if (json) {
      out.println(Json.write(new RunOutput(RunReport.of(summary), index, null)));
    } else {
      printSummary(out, summary, index);
    }
    out.flush();
  }

  static int exitCode(RunSummary summary, GracefulStop stop) {
    if (stop.stopped()) {
      return stop.exitCode();
    }
    return summary.filesFailed() > 0 ? ExitCodes.PARTIAL : ExitCodes.OK;
  }

  private List<Path> resolveRoots() throws Exception {
    List<Path> resolved = new ArrayList<>();
    if (roots.isEmpty()) {
      Path here = Path.of("").toAbsolutePath();
      try {
        Path found = IndexLocator.locate(indexDir, here);
        resolved.addAll(Quarry.describe(found).roots());
        if (indexDir == null) {
          indexDir = found;
        }
      } catch (IndexMissingException e) {
        resolved.add(here);
      }
      if (resolved.isEmpty()) {
        resolved.add(here);
      }
    } else {
      resolved.addAll(givenRoots());
    }
    return resolved;
  }

  private static Path here() throws java.io.IOException {
    return Path.of("").toAbsolutePath().toRealPath();
  }

  private List<Path> givenRoots() throws java.io.IOException {
    List<Path> resolved = new ArrayList<>();
    for (Path root : roots) {
      Path abs = root.toAbsolutePath().normalize();
      if (!Files.isDirectory(abs)) {
        throw new UsageException("ROOT " + root + " is not a directory");
      }
      resolved.add(abs.toRealPath());
    }
    return resolved;
  }

  static void printSummary(PrintWriter out, RunSummary s, String index) {
    String verb = s.kind().equals("sync") ? "Synced" : "Indexed into";
    out.printf(
        "%s %s in %.1fs (run %d, %s)%n",
        verb, TerminalText.safe(index), s.wallSeconds(), s.id(), s.status().label());
    if (s.status() == dev.quarry.pipeline.RunStatus.INTERRUPTED) {
      out.println(
          "  interrupted: committed work is kept; run again to finish (nothing done is redone)");
    }
    out.printf(
        "  files: %,d indexed, %,d unchanged, %,d deleted, %,d skipped, %,d failed%n",
        s.filesIndexed(), s.filesUnchanged(), s.filesDeleted(), s.filesSkipped(), s.filesFailed());
    if (!s.skippedByReason().isEmpty()) {
      StringBuilder reasons = new StringBuilder();
      s.skippedByReason().entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(
              e ->
                  reasons
                      .append(reasons.isEmpty() ? "" : ", ")
                      .append(e.getValue())
                      .append(' ')
                      .append(e.getKey().description()));
      out.println("  skipped: " + reasons);
    }
    out.printf(
        "  chunks: %,d written (%,d embedded, %,d vectors reused), %,d in index%n",
        s.chunksWritten(), s.chunksEmbedded(), s.chunksReused(), s.chunksInIndex());
    out.printf(
        "  throughput: %,.0f files/s, %.2f MB/s, %.1f chunks/s; bottleneck: %s%n",
        s.filesPerSecond(), s.megabytesPerSecond(), s.chunksPerSecond(), s.bottleneck());
    if (!s.cache().isEmpty()) {
      StringBuilder tiers = new StringBuilder();
      for (var t : s.cache()) {
        tiers
            .append(tiers.isEmpty() ? "" : ", ")
            .append(
                String.format(
                    "%s %,d/%,d hits (%.1f ms a call%s%s)",
                    t.tier(),
                    t.hits(),
                    t.lookups(),
                    t.meanMillis(),
                    t.failures() > 0 ? ", failed" : "",
                    t.rejected() > 0 ? String.format(", %,d rejected", t.rejected()) : ""));
      }
      out.println("  embedding cache: " + tiers);
    }
    if (s.resources().peakRssBytes() > 0) {
      out.printf(
          "  memory: peak RSS %.0f MB, peak heap %.0f MB, GC %.2fs ('quarry runs --last' for stages)%n",
          s.resources().peakRssBytes() / 1e6,
          s.resources().peakHeapBytes() / 1e6,
          s.resources().gcSeconds());
    }
    int shown = 0;
    for (FileOutcome.Failed f : s.failures()) {
      if (shown++ == 20) {
        out.printf("  ... and %d more failures (--json lists all)%n", s.failures().size() - 20);
        break;
      }
      out.println("  failed: " + TerminalText.safe(f.path()) + ": " + TerminalText.safe(f.cause()));
    }
  }
}
