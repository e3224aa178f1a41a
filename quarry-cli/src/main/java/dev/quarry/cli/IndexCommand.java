package dev.quarry.cli;

import dev.quarry.Quarry;
import dev.quarry.config.QuarryConfig;
import dev.quarry.config.Setting;
import dev.quarry.index.IndexMetadata;
import dev.quarry.index.QuarryIndex;
import dev.quarry.pipeline.FileOutcome;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.pipeline.RunListener;
import dev.quarry.pipeline.RunSummary;
import dev.quarry.pipeline.RunReport;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "index",
    description = {
      "Index one or more folders, or bring their index up to date (only changed files are read).",
      "Without ROOT: the roots of the index found from the current directory, else the current directory."
    })
final class IndexCommand implements Callable<Integer> {
  @Parameters(paramLabel = "ROOT", arity = "0..*", description = "Folders to index.")
  List<Path> roots = new ArrayList<>();

  @Option(names = "--index", paramLabel = "DIR", description = "Index directory (default: FIRST_ROOT/.quarry).")
  Path indexDir;

  @Option(names = "--json", description = "Print the run summary as JSON on stdout.")
  boolean json;

  @Option(names = "--no-embed", description = "Lexical only: skip embeddings (a later run without it adds them).")
  boolean noEmbed;

  @Option(names = "--model", paramLabel = "NAME", description = "Embedding model (default: all-minilm-l6-v2-q).")
  String model;

  @Option(names = "--embedder", paramLabel = "SPEC",
      description = "Where vectors come from: local (default) or openai:URL, an OpenAI-compatible endpoint "
          + "such as 'quarry serve --embeddings' (API key from $QUARRY_EMBEDDER_API_KEY).")
  String embedder;

  // The settings below are kept as written and parsed by QuarryConfig, the one parser of the config
  // file, the environment and the flags, so a bad value is reported the same way wherever it is.

  @Option(names = "--max-file-size", paramLabel = "SIZE", description = "Skip files larger than this (default: 4MiB).")
  String maxFileSize;

  @Option(names = "--follow-symlinks", description = "Follow symbolic links (loops are detected).")
  Boolean followSymlinks;

  @Option(names = "--threads", paramLabel = "N", description = "Embedding threads (default: all cores).")
  String threads;

  @Option(names = "--workers", paramLabel = "N",
      description = "Threads reading, extracting, chunking and writing files (default: all cores; 1: sequential).")
  String workers;

  @Option(names = "--scan-threads", paramLabel = "N", description = "Threads walking directories (default: all cores).")
  String scanThreads;

  @Option(names = "--batch-size", paramLabel = "N", description = "Chunks per call to the embedding model (default: 64).")
  String batchSize;

  @Option(names = "--commit-interval", paramLabel = "DURATION",
      description = "Longest time between commits, e.g. 30s, 2m (default: 60s).")
  String commitInterval;

  @Option(names = "--commit-chunks", paramLabel = "N",
      description = "Most chunks written between commits (default: 100000).")
  String commitChunks;

  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "Disk embedding cache, shared by all indexes (default: ~/.cache/quarry; off: none).")
  String cacheDir;

  @Option(names = "--cache-size", paramLabel = "SIZE", description = "Most the disk cache may hold (default: 2GiB).")
  String cacheSize;

  @Option(names = "--cache-redis", paramLabel = "URI",
      description = "Shared embedding cache server, redis://host:port (default: none).")
  String cacheRedis;

  @Option(names = {"-q", "--quiet"}, description = "No progress output.")
  boolean quiet;

  /** Defaults, config file and environment, then this command's flags. */
  private QuarryConfig config() {
    QuarryConfig config = QuarryConfig.load(System.getenv());
    Map<Setting, String> flags = new EnumMap<>(Setting.class);
    flags.put(Setting.EMBEDDER, embedder);
    flags.put(Setting.MODEL, model);
    flags.put(Setting.MAX_FILE_SIZE, maxFileSize);
    flags.put(Setting.FOLLOW_SYMLINKS, followSymlinks == null ? null : followSymlinks.toString());
    flags.put(Setting.THREADS, threads);
    flags.put(Setting.WORKERS, workers);
    flags.put(Setting.SCAN_THREADS, scanThreads);
    flags.put(Setting.BATCH_SIZE, batchSize);
    flags.put(Setting.COMMIT_INTERVAL, commitInterval);
    flags.put(Setting.COMMIT_CHUNKS, commitChunks);
    flags.put(Setting.CACHE_DIR, cacheDir);
    flags.put(Setting.CACHE_SIZE, cacheSize);
    flags.put(Setting.CACHE_REDIS, cacheRedis);
    for (Map.Entry<Setting, String> flag : flags.entrySet()) {
      if (flag.getValue() != null) {
        config = config.with(flag.getKey(), flag.getValue(), "--" + flag.getKey().key());
      }
    }
    return config;
  }

  @Override
  public Integer call() throws Exception {
    QuarryConfig config = config(); // first: a bad setting fails before any work
    List<Path> resolvedRoots = resolveRoots();
    Path index = indexDir != null
        ? indexDir.toAbsolutePath().normalize()
        : resolvedRoots.get(0).resolve(IndexLocator.DEFAULT_DIR_NAME);
    IndexOptions options = config.indexOptions(resolvedRoots, index, !noEmbed);
    PrintStream err = System.err;
    ProgressPrinter progress = new ProgressPrinter(err, Terminal.isInteractive());
    try (GracefulStop stop = new GracefulStop(err)) {
      RunListener warningsOnly = new RunListener() {
        @Override
        public void onWarning(String message) {
          err.println("quarry: warning: " + message);
        }
      };
      RunSummary summary = Quarry.index(options, config.embedder(), quiet || json ? warningsOnly : progress,
          io.micrometer.core.instrument.Metrics.globalRegistry, stop.control());
      progress.finish();
      printResult(summary, index, json);
      return exitCode(summary, stop);
    }
  }

  /** The summary, as JSON or for people. */
  static void printResult(RunSummary summary, Path index, boolean json) {
    if (json) {
      System.out.println(Json.write(new RunOutput(RunReport.of(summary), index.toString(), null)));
    } else {
      printSummary(System.out, summary, index);
    }
    System.out.flush();
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
        try (QuarryIndex existing = QuarryIndex.openForReading(found)) {
          for (String root : IndexMetadata.roots(existing.commitData())) {
            resolved.add(Path.of(root));
          }
        }
        if (indexDir == null) {
          indexDir = found;
        }
      } catch (dev.quarry.index.IndexMissingException e) {
        resolved.add(here);
      }
      if (resolved.isEmpty()) {
        resolved.add(here);
      }
    } else {
      for (Path root : roots) {
        Path abs = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
          throw new IllegalArgumentException("ROOT " + root + " is not a directory");
        }
        resolved.add(abs.toRealPath());
      }
    }
    return resolved;
  }

  static void printSummary(PrintStream out, RunSummary s, Path index) {
    String verb = s.kind().equals("sync") ? "Synced" : "Indexed into";
    out.printf("%s %s in %.1fs (run %d, %s)%n", verb, index, s.wallSeconds(), s.id(), s.status().label());
    if (s.status() == dev.quarry.pipeline.RunStatus.INTERRUPTED) {
      out.println("  interrupted: committed work is kept; run again to finish (nothing done is redone)");
    }
    out.printf("  files: %,d indexed, %,d unchanged, %,d deleted, %,d skipped, %,d failed%n",
        s.filesIndexed(), s.filesUnchanged(), s.filesDeleted(), s.filesSkipped(), s.filesFailed());
    if (!s.skippedByReason().isEmpty()) {
      StringBuilder reasons = new StringBuilder();
      s.skippedByReason().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
          reasons.append(reasons.isEmpty() ? "" : ", ").append(e.getValue()).append(' ').append(e.getKey().description()));
      out.println("  skipped: " + reasons);
    }
    out.printf("  chunks: %,d written (%,d embedded, %,d vectors reused), %,d in index%n",
        s.chunksWritten(), s.chunksEmbedded(), s.chunksReused(), s.chunksInIndex());
    out.printf("  throughput: %,.0f files/s, %.2f MB/s, %.1f chunks/s; bottleneck: %s%n",
        s.filesPerSecond(), s.megabytesPerSecond(), s.chunksPerSecond(), s.bottleneck());
    if (!s.cache().isEmpty()) {
      StringBuilder tiers = new StringBuilder();
      for (var t : s.cache()) {
        tiers.append(tiers.isEmpty() ? "" : ", ").append(String.format("%s %,d/%,d hits (%.1f ms a call%s)",
            t.tier(), t.hits(), t.lookups(), t.meanMillis(), t.failures() > 0 ? ", failed" : ""));
      }
      out.println("  embedding cache: " + tiers);
    }
    if (s.resources().peakRssBytes() > 0) {
      out.printf("  memory: peak RSS %.0f MB, peak heap %.0f MB, GC %.2fs ('quarry runs --last' for stages)%n",
          s.resources().peakRssBytes() / 1e6, s.resources().peakHeapBytes() / 1e6, s.resources().gcSeconds());
    }
    int shown = 0;
    for (FileOutcome.Failed f : s.failures()) {
      if (shown++ == 20) {
        out.printf("  ... and %d more failures (--json lists all)%n", s.failures().size() - 20);
        break;
      }
      out.println("  failed: " + f.path() + ": " + f.cause());
    }
  }
}
