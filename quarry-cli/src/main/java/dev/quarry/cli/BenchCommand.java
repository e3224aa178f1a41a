package dev.quarry.cli;

import dev.quarry.Quarry;
import dev.quarry.bench.BenchHistory;
import dev.quarry.bench.BenchOptions;
import dev.quarry.bench.BenchReport;
import dev.quarry.bench.BenchRun;
import dev.quarry.bench.BenchSuite;
import dev.quarry.bench.RegressionRule;
import dev.quarry.bench.SyntheticTree;
import dev.quarry.bench.Verdict;
import dev.quarry.bench.json.BenchJson;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "bench",
    sortOptions = false,
    description = {
      "Benchmark Quarry on this machine: query latency (p50/p95/p99 per mode, single thread), first-index "
          + "throughput (lexical only) and no-op re-index time on a generated tree, embedding throughput.",
      "Each figure is measured --runs times (after a warm-up) and reported as the median and spread. Every run "
          + "is appended to a history file; --save-baseline makes this run the baseline.",
      "A figure REGRESSES when its median is more than 10%% worse than the baseline's median AND a one-sided "
          + "Mann-Whitney U test of the two sets of samples rejects 'same distribution' at alpha 0.05 (exact "
          + "permutation distribution, ties included, up to 100 samples in all). Exit code 5 when one does.",
      "The full suite searches BEIR SciFact (indexed with embeddings into the work directory on first use: "
          + "minutes); --quick runs a tiny suite in seconds.",
      "--json prints one JSON object: every figure with its samples, median, baseline and verdict."
    })
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--quick",
      description =
          "The tiny suite (small generated trees, 16 sampled queries, 3 runs by default): seconds; a smoke test.")
  boolean quick;

  @Option(
      names = "--runs",
      paramLabel = "N",
      converter = ValueConverters.PositiveInt.class,
      description = "Samples per figure (default: 5, or 3 with --quick).")
  Integer runs;

  @Option(
      names = "--only",
      paramLabel = "LIST",
      split = ",",
      converter = Benchmarks.class,
      completionCandidates = Benchmarks.class,
      description = "Run only these benchmarks: ${COMPLETION-CANDIDATES} (default: all).")
  List<BenchSuite.Benchmark> only;

  @Option(
      names = "--scifact",
      paramLabel = "DIR",
      defaultValue = "../shared/data/scifact",
      description =
          "BEIR SciFact folder for the query benchmark of the full suite (default: ${DEFAULT-VALUE}).")
  Path scifact;

  @Option(
      names = "--index",
      paramLabel = "DIR",
      description =
          "Measure query latency on this existing index instead (queries sampled from its terms; "
              + "semantic and hybrid when it has vectors). A root holding .quarry also works.")
  Path index;

  @Option(
      names = "--queries",
      paramLabel = "N",
      converter = ValueConverters.PositiveInt.class,
      description = "Queries to sample from the terms of --index (default: 500).")
  Integer queries;

  @Option(
      names = "--files",
      paramLabel = "N",
      converter = ValueConverters.PositiveInt.class,
      description =
          "Files in the generated tree of the index and noop benchmarks (default: 3000, or 30 with --quick).")
  Integer files;

  @Option(
      names = "--model",
      paramLabel = "NAME",
      defaultValue = Quarry.DEFAULT_MODEL,
      completionCandidates = Choices.Models.class,
      description =
          "Embedding model of the embed benchmark and of the indexes the query benchmark builds: "
              + "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). Each model has indexes and a baseline of "
              + "its own; an --index keeps its own model.")
  String model;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description =
          "Where generated trees, indexes, history and baselines are kept (default: $XDG_CACHE_HOME/quarry/bench "
              + "or ~/.cache/quarry/bench).")
  Path workDir;

  @Option(
      names = "--history",
      paramLabel = "FILE",
      description = "History file, one JSON line per run (default: WORK_DIR/history.jsonl).")
  Path historyFile;

  @Option(
      names = "--baseline",
      paramLabel = "FILE",
      description =
          "Baseline file (default: WORK_DIR/baseline-SUITE.json, or baseline-SUITE-MODEL.json for another "
              + "--model than the default).")
  Path baselineFile;

  @Option(
      names = "--save-baseline",
      description =
          "Make this run the baseline (it is still compared with the previous one, but exits 0).")
  boolean saveBaseline;

  @Mixin OutputOptions output;

  /** The benchmarks {@code --only} names, by label; the error lists them. */
  static final class Benchmarks
      implements CommandLine.ITypeConverter<BenchSuite.Benchmark>, Iterable<String> {
    @Override
    public BenchSuite.Benchmark convert(String value) {
      try {
        return BenchSuite.Benchmark.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }

    @Override
    public java.util.Iterator<String> iterator() {
      return java.util.Arrays.stream(BenchSuite.Benchmark.values())
          .map(BenchSuite.Benchmark::label)
          .iterator();
    }
  }

  private static final RegressionRule RULE = RegressionRule.defaults();

  @Override
  public Integer call() throws Exception {
    Path work = (workDir != null ? workDir : defaultWorkDir()).toAbsolutePath().normalize();
    int samples = runs != null ? runs : quick ? 3 : 5;
    BenchOptions options =
        quick
            ? BenchOptions.quick(work, samples)
            : BenchOptions.full(work, scifact.toAbsolutePath().normalize(), samples);
    if (only != null && !only.isEmpty()) {
      options = options.withBenchmarks(EnumSet.copyOf(only));
    }
    try {
      options = options.withModel(model);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--model: " + e.getMessage());
    }
    if (files != null) {
      options =
          options.withTree(
              new SyntheticTree(files, options.tree().maxFileBytes(), options.tree().seed()));
    }
    if (queries != null) {
      options = options.withSampledQueries(queries);
    }
    if (index != null) {
      options =
          options.withQueryCorpus(
              new BenchSuite.QueryCorpus.ExistingIndex(IndexLocator.locate(index, Path.of(""))));
    } else if (!quick
        && options.benchmarks().contains(BenchSuite.Benchmark.QUERY)
        && !Files.isRegularFile(scifact.resolve("corpus.jsonl"))) {
      throw new NoSuchFileException(
          scifact.toString(),
          null,
          "no BEIR SciFact data set here for the query benchmark: pass --scifact DIR, --index DIR, or --quick");
    }
    BenchHistory history =
        new BenchHistory(
            historyFile != null ? historyFile : work.resolve("history.jsonl"),
            baselineFile != null ? baselineFile : work.resolve(defaultBaselineName(options)));
    Optional<BenchRun> baseline = history.baseline();

    boolean progress = output.progress();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ProgressPrinter printer = new ProgressPrinter(err, Terminal.isInteractive());
    BenchSuite suite =
        new BenchSuite(
            options,
            progress ? printer : dev.quarry.pipeline.RunListener.NONE,
            line -> {
              if (progress) {
                printer.finish();
                err.println("bench: " + line);
              }
            });
    BenchRun run = suite.run();
    printer.finish();

    List<Verdict> verdicts = RULE.judge(run, baseline);
    boolean comparable = baseline.isPresent() && RegressionRule.comparable(run, baseline.get());
    history.append(run);
    if (saveBaseline) {
      history.saveBaseline(run);
    }
    List<String> regressions =
        verdicts.stream()
            .filter(v -> v.status() == Verdict.Status.REGRESSION)
            .map(Verdict::figure)
            .toList();
    List<String> warnings = contentionWarnings(run, comparable ? baseline : Optional.empty());
    if (output.json()) {
      // The bench module's mapper: it knows the report's Optional and Instant components.
      out.println(
          BenchJson.pretty(
              BenchReport.of(run, verdicts, baseline, RULE, history, saveBaseline, warnings)));
    } else {
      BenchReportText.print(
          out, run, verdicts, baseline, comparable, history, regressions, saveBaseline);
      warnings.forEach(w -> out.println("warning: " + w));
    }
    return regressions.isEmpty() || saveBaseline ? ExitCodes.OK : ExitCodes.REGRESSION;
  }

  /**
   * Above this share of the CPU taken by other processes, a run's figures describe the neighbours
   * as much as Quarry.
   */
  private static final double BUSY_MACHINE = 0.20;

  /**
   * Warnings when other processes took a large share of the CPU during this run or the baseline:
   * the samples of one run share the same neighbours, so the test then compares machine states.
   */
  private static List<String> contentionWarnings(BenchRun run, Optional<BenchRun> baseline) {
    List<String> warnings = new ArrayList<>();
    otherShare(run)
        .filter(s -> s > BUSY_MACHINE)
        .ifPresent(
            s ->
                warnings.add(
                    String.format(
                        Locale.ROOT,
                        "other processes used %.0f%% of this machine's CPU during this run: its figures are not comparable "
                            + "with a quiet run's",
                        100 * s)));
    baseline
        .flatMap(BenchCommand::otherShare)
        .filter(s -> s > BUSY_MACHINE)
        .ifPresent(
            s ->
                warnings.add(
                    String.format(
                        Locale.ROOT,
                        "other processes used %.0f%% of the CPU while the baseline was measured: save a new one on a "
                            + "quiet machine",
                        100 * s)));
    return warnings;
  }

  static Optional<Double> otherShare(BenchRun run) {
    return run.details().otherProcessesCpuShare();
  }

  /**
   * baseline-SUITE.json, with the model's name after the suite when it is not the default one: a
   * model's baseline is never replaced by another's (runs of two models are not compared anyway).
   */
  private static String defaultBaselineName(BenchOptions options) {
    String model = options.model().equals(Quarry.DEFAULT_MODEL) ? "" : "-" + options.model();
    return "baseline-" + options.suite() + model + ".json";
  }

  private static Path defaultWorkDir() {
    String cache = System.getenv("XDG_CACHE_HOME");
    Path base =
        cache != null && !cache.isBlank()
            ? Path.of(cache)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("quarry").resolve("bench");
  }
}
