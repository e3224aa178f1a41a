package dev.quarry.bench;

import dev.quarry.Quarry;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.eval.BeirDataset;
import dev.quarry.eval.BeirEvaluation;
import dev.quarry.index.QuarryIndex;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.pipeline.RunListener;
import dev.quarry.pipeline.RunSummary;
import dev.quarry.scan.ScanOptions;
import dev.quarry.search.Ranking;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The benchmarks {@code quarry bench} runs, each measured as {@code runs} repeated samples after
 * one discarded warm-up (JIT, page cache), all in this process:
 *
 * <ul>
 *   <li><b>query</b>: single-threaded p50/p95/p99 latency per mode ({@link QueryLatencyBenchmark});
 *       one sample per pass over the query set;
 *   <li><b>index</b>: first index, lexical only, of a {@link SyntheticTree}: MB/s of the tree's
 *       bytes, a fresh index each sample;
 *   <li><b>noop</b>: re-index of that tree with nothing changed, milliseconds;
 *   <li><b>embed</b>: the model alone on a fixed sample of generated texts, chunks/s.
 * </ul>
 *
 * The model ({@link BenchOptions#model()}) is the one the embed benchmark runs and the query
 * benchmark's indexes are built with; each model has indexes of its own ({@code index} for the
 * default, {@code index-MODEL} for another, as {@code quarry eval} names them).
 *
 * <p>Inputs live in a work directory and are reused by later runs: generated trees, the indexes
 * built from them and, for the full suite, SciFact written as files and indexed with embeddings
 * (the layout of {@code quarry eval --work-dir DIR/scifact}, so both commands share it).
 */
public final class BenchSuite {

  /** The benchmarks of the suite, by the names the CLI takes. */
  public enum Benchmark {
    QUERY("query"),
    INDEX("index"),
    NOOP("noop"),
    EMBED("embed");

    private final String label;

    Benchmark(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    /** Parses a label; the error lists the choices. */
    public static Benchmark parse(String text) {
      for (Benchmark b : values()) {
        if (b.label.equalsIgnoreCase(text.trim())) {
          return b;
        }
      }
      throw new IllegalArgumentException(
          "unknown benchmark '"
              + text
              + "'; choose from "
              + Arrays.stream(values()).map(Benchmark::label).toList());
    }
  }

  /** Where the query benchmark's corpus comes from. */
  public sealed interface QueryCorpus {
    /**
     * BEIR SciFact (or another BEIR set): its judged queries of {@code split}, an index with
     * embeddings.
     */
    record Beir(Path dataDir, String split) implements QueryCorpus {}

    /** The suite's synthetic tree, indexed with embeddings; queries sampled from its terms. */
    record Tree(SyntheticTree tree) implements QueryCorpus {}

    /** An existing index, read only; queries sampled from its terms. */
    record ExistingIndex(Path indexDir) implements QueryCorpus {}
  }

  private final BenchOptions options;
  private final RunListener buildListener;
  private final Consumer<String> log;

  /**
   * @param buildListener follows the indexing runs that build inputs (not the timed ones)
   * @param log receives one line per step, for a progress display
   */
  public BenchSuite(BenchOptions options, RunListener buildListener, Consumer<String> log) {
    this.options = options;
    this.buildListener = buildListener;
    this.log = log;
  }

  /** Runs the selected benchmarks in a fixed order (query, index, noop, embed). */
  public BenchRun run() throws IOException, InterruptedException {
    Instant started = Instant.now();
    CpuContention contention = new CpuContention();
    Files.createDirectories(options.workDir());
    List<Figure> figures = new ArrayList<>();
    double loadAtStart = loadAverage();
    Optional<BenchDetails.Query> query = Optional.empty();
    Optional<BenchDetails.Indexing> indexing = Optional.empty();
    Optional<BenchDetails.Embedding> embed = Optional.empty();
    if (options.benchmarks().contains(Benchmark.QUERY)) {
      query = Optional.of(queryLatency(figures));
    }
    if (options.benchmarks().contains(Benchmark.INDEX)
        || options.benchmarks().contains(Benchmark.NOOP)) {
      indexing = Optional.of(indexing(figures));
    }
    if (options.benchmarks().contains(Benchmark.EMBED)) {
      embed = Optional.of(embedding(figures));
    }
    OptionalDouble otherShare = contention.otherShare();
    BenchDetails details =
        new BenchDetails(
            loadAtStart,
            query,
            indexing,
            embed,
            loadAverage(),
            otherShare.isPresent()
                ? Optional.of(Math.round(otherShare.getAsDouble() * 1000) / 1000.0)
                : Optional.empty(),
            options.runs(),
            Math.round((Instant.now().toEpochMilli() - started.toEpochMilli()) / 100.0) / 10.0);
    return new BenchRun(
        options.suite(), started, options.config(), MachineDescription.of(), figures, details);
  }

  private BenchDetails.Query queryLatency(List<Figure> figures)
      throws IOException, InterruptedException {
    Path indexDir;
    QuerySet queries;
    switch (options.queryCorpus()) {
      case QueryCorpus.Beir beir -> {
        Path dir = options.workDir().resolve("scifact");
        indexDir = dir.resolve(perModel("index"));
        log.accept(
            "query: building or updating the "
                + beir.dataDir().getFileName()
                + " index in "
                + dir
                + " (embeds every chunk on first use: minutes)");
        new BeirEvaluation(new BeirDataset(beir.dataDir()))
            .buildIndex(
                dir.resolve("docs"),
                indexOptions(dir.resolve("docs"), indexDir, true),
                buildListener);
        queries = QuerySet.fromBeir(beir.dataDir(), beir.split());
      }
      case QueryCorpus.Tree t -> {
        Path treeDir = options.workDir().resolve(t.tree().directoryName());
        t.tree().materialize(options.workDir());
        indexDir =
            options.workDir().resolve(perModel(t.tree().directoryName() + ".index-embedded"));
        log.accept("query: building or updating the index of " + treeDir + " with embeddings");
        Quarry.run(indexOptions(treeDir, indexDir, true)).listener(buildListener).index();
        queries = null;
      }
      case QueryCorpus.ExistingIndex existing -> {
        indexDir = existing.indexDir();
        queries = null;
      }
    }
    Ranking ranking = Ranking.defaults(); // what 'quarry search' uses
    try (Quarry.SearchSession session =
        Quarry.search(indexDir).withModel(true).ranking(ranking).open()) {
      if (queries == null) {
        queries = QuerySet.sampleTerms(session.index(), options.sampledQueries(), options.seed());
      }
      long chunks = session.index().stats().chunks();
      QueryLatencyBenchmark benchmark = new QueryLatencyBenchmark(session, ranking);
      log.accept(
          String.format(
              Locale.ROOT,
              "query: %s, %,d chunks, %d queries (%s) × %d passes after %d warm-up, modes %s",
              indexDir,
              chunks,
              queries.size(),
              queries.source(),
              options.runs(),
              options.warmupPasses(),
              benchmark.modes().stream().map(m -> m.name().toLowerCase(Locale.ROOT)).toList()));
      QueryLatencyBenchmark.Result result =
          benchmark.run(
              queries,
              new QueryLatencyBenchmark.Options(
                  options.limit(), options.warmupPasses(), options.runs(), options.seed()));
      Map<String, BenchDetails.Mode> modes = new LinkedHashMap<>();
      for (QueryLatencyBenchmark.ModeLatency m : result.modes()) {
        figures.add(figure("query." + m.name() + ".p50_ms", m, LatencyStats::p50Ms));
        figures.add(figure("query." + m.name() + ".p95_ms", m, LatencyStats::p95Ms));
        figures.add(figure("query." + m.name() + ".p99_ms", m, LatencyStats::p99Ms));
        modes.put(
            m.name(),
            new BenchDetails.Mode(m.all().rounded(), m.searchOnly().map(LatencyStats::rounded)));
      }
      return new BenchDetails.Query(
          indexDir.toAbsolutePath().normalize().toString(),
          chunks,
          queries.source(),
          queries.size(),
          options.runs(),
          options.warmupPasses(),
          options.limit(),
          1,
          modes,
          result.embedding().map(LatencyStats::rounded));
    }
  }

  private static Figure figure(
      String name,
      QueryLatencyBenchmark.ModeLatency m,
      java.util.function.ToDoubleFunction<LatencyStats> percentile) {
    return new Figure(
        name,
        "ms",
        Figure.Better.LOWER,
        m.perPass().stream().map(s -> percentile.applyAsDouble(s)).toList());
  }

  private BenchDetails.Indexing indexing(List<Figure> figures)
      throws IOException, InterruptedException {
    SyntheticTree tree = options.tree();
    SyntheticTree.Stats stats = tree.materialize(options.workDir());
    Path treeDir = options.workDir().resolve(tree.directoryName());
    Path indexDir = options.workDir().resolve(tree.directoryName() + ".index-lexical");
    IndexOptions lexical = indexOptions(treeDir, indexDir, false);
    Optional<Long> chunks = Optional.empty();
    Optional<Long> filesIndexed = Optional.empty();
    RunSummary last = null;
    if (options.benchmarks().contains(Benchmark.INDEX)) {
      log.accept(
          String.format(
              Locale.ROOT,
              "index: first index, lexical only, of %s (%,d files, %.1f MB), 1 warm-up + %d runs",
              treeDir,
              stats.files(),
              stats.bytes() / 1e6,
              options.runs()));
      List<Double> mbPerSecond = new ArrayList<>();
      for (int run = -1; run < options.runs(); run++) {
        SyntheticTree.deleteRecursively(indexDir);
        long t0 = System.nanoTime();
        last = Quarry.run(lexical).index();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (last.filesFailed() > 0) {
          throw new IllegalStateException(
              last.filesFailed() + " files of the benchmark tree failed to index");
        }
        if (run >= 0) {
          mbPerSecond.add(stats.bytes() / 1e6 / seconds);
        }
      }
      figures.add(
          new Figure("index.first_lexical.mb_per_s", "MB/s", Figure.Better.HIGHER, mbPerSecond));
      chunks = Optional.of(last.chunksInIndex());
      filesIndexed = Optional.of(last.filesIndexed());
    }
    if (options.benchmarks().contains(Benchmark.NOOP)) {
      if (!QuarryIndex.exists(indexDir)) {
        log.accept("noop: building the lexical index of " + treeDir);
        Quarry.run(lexical).listener(buildListener).index();
      }
      log.accept(
          String.format(
              Locale.ROOT,
              "noop: re-index of %s with nothing changed, 1 warm-up + %d runs",
              treeDir,
              options.runs()));
      List<Double> millis = new ArrayList<>();
      for (int run = -1; run < options.runs(); run++) {
        long t0 = System.nanoTime();
        RunSummary summary = Quarry.run(lexical).index();
        double ms = (System.nanoTime() - t0) / 1e6;
        if (summary.filesIndexed() > 0 || summary.filesDeleted() > 0) {
          throw new IllegalStateException(
              "the benchmark tree "
                  + treeDir
                  + " changed during the no-op benchmark ("
                  + summary.filesIndexed()
                  + " indexed, "
                  + summary.filesDeleted()
                  + " deleted)");
        }
        if (run >= 0) {
          millis.add(ms);
        }
      }
      figures.add(new Figure("index.noop_ms", "ms", Figure.Better.LOWER, millis));
    }
    return new BenchDetails.Indexing(
        treeDir.toString(), stats.files(), stats.bytes(), chunks, filesIndexed);
  }

  private BenchDetails.Embedding embedding(List<Figure> figures) {
    Random random = new Random(options.seed());
    List<String> texts = new ArrayList<>(options.embedTexts());
    for (int i = 0; i < options.embedTexts(); i++) {
      texts.add(SyntheticTree.words(random, options.embedWords()));
    }
    int threads = Runtime.getRuntime().availableProcessors();
    log.accept(
        String.format(
            Locale.ROOT,
            "embed: %s, %d texts of %d words, %d threads, 1 warm-up + %d runs",
            options.model(),
            texts.size(),
            options.embedWords(),
            threads,
            options.runs()));
    List<Double> rates = new ArrayList<>();
    String modelId;
    try (EmbeddingModel model = EmbeddingModels.load(options.model(), threads)) {
      for (int run = -1; run < options.runs(); run++) {
        long t0 = System.nanoTime();
        int n = model.embed(texts).size();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (run >= 0) {
          rates.add(n / seconds);
        }
      }
      modelId = model.identity().id();
    }
    figures.add(new Figure("embed.chunks_per_s", "chunks/s", Figure.Better.HIGHER, rates));
    return new BenchDetails.Embedding(modelId, texts.size(), options.embedWords(), threads);
  }

  /**
   * The one place the suite builds indexing options: lexical or embedded (with the suite's model),
   * defaults otherwise. Lexical indexes name the default model, so they are the same whatever the
   * model (every shipped model chunks alike).
   */
  private IndexOptions indexOptions(Path root, Path indexDir, boolean embed) {
    return IndexOptions.of(
        List.of(root.toAbsolutePath().normalize()),
        indexDir.toAbsolutePath().normalize(),
        ScanOptions.defaults(),
        embed,
        embed ? options.model() : EmbeddingModels.DEFAULT);
  }

  /** An embedded index's name: as given for the default model, with "-MODEL" after it otherwise. */
  private String perModel(String name) {
    return options.model().equals(EmbeddingModels.DEFAULT) ? name : name + "-" + options.model();
  }

  private static double loadAverage() {
    return Math.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() * 100)
        / 100.0;
  }
}
