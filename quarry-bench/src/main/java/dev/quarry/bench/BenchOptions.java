package dev.quarry.bench;

import dev.quarry.bench.BenchSuite.Benchmark;
import dev.quarry.bench.BenchSuite.QueryCorpus;
import dev.quarry.embed.EmbeddingModels;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link BenchSuite} runs, on what, and how often.
 *
 * @param suite the suite's name, recorded with the run ("quick", "full")
 * @param runs samples per figure
 * @param benchmarks which benchmarks to run
 * @param workDir where inputs, indexes and (by default) history are kept
 * @param queryCorpus what the query benchmark searches
 * @param sampledQueries how many queries to sample from an index's terms (not for BEIR)
 * @param warmupPasses passes over the queries before measuring
 * @param limit hits per query
 * @param tree the tree of the index and noop benchmarks
 * @param embedTexts texts in the embedding sample
 * @param embedWords words per text in the embedding sample
 * @param seed seeds query sampling, query order and the embedding sample
 * @param model the embedding model of the embed benchmark and of the indexes the query benchmark
 *     builds (an existing index keeps its own)
 */
public record BenchOptions(
    String suite,
    int runs,
    Set<Benchmark> benchmarks,
    Path workDir,
    QueryCorpus queryCorpus,
    int sampledQueries,
    int warmupPasses,
    int limit,
    SyntheticTree tree,
    int embedTexts,
    int embedWords,
    long seed,
    String model) {

  public BenchOptions {
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(model, "model");
    benchmarks = Set.copyOf(benchmarks);
    Objects.requireNonNull(workDir, "workDir");
    Objects.requireNonNull(queryCorpus, "queryCorpus");
    Objects.requireNonNull(tree, "tree");
    if (runs < 1) {
      throw new IllegalArgumentException("runs must be at least 1, got " + runs);
    }
    if (benchmarks.isEmpty()) {
      throw new IllegalArgumentException("no benchmark selected");
    }
    if (sampledQueries < 1 || warmupPasses < 0 || limit < 1 || embedTexts < 1 || embedWords < 1) {
      throw new IllegalArgumentException(
          "sampledQueries, limit, embedTexts and embedWords must be positive and "
              + "warmupPasses not negative");
    }
  }

  /**
   * The quick suite: a 12-file tree of small files indexed with embeddings for 16 sampled queries,
   * a 30-file tree for the indexing figures, 8 short texts to embed. Seconds on two cores; a smoke
   * test for CI, its figures say little about speed at scale.
   */
  public static BenchOptions quick(Path workDir, int runs) {
    return new BenchOptions(
        "quick",
        runs,
        EnumSet.allOf(Benchmark.class),
        workDir,
        new QueryCorpus.Tree(new SyntheticTree(12, 600, 42)),
        16,
        1,
        10,
        new SyntheticTree(30, 1_500, 42),
        8,
        30,
        42,
        EmbeddingModels.DEFAULT);
  }

  /**
   * The full suite: query latency on SciFact's 300 test queries (the index is built with embeddings
   * on first use: minutes) after two warm-up passes, a 3,000-file tree (about 20 MB) for the
   * indexing figures, 64 texts of 150 words to embed.
   */
  public static BenchOptions full(Path workDir, Path scifactDir, int runs) {
    return new BenchOptions(
        "full",
        runs,
        EnumSet.allOf(Benchmark.class),
        workDir,
        new QueryCorpus.Beir(scifactDir, "test"),
        500,
        2,
        10,
        new SyntheticTree(3_000, 200_000, 42),
        64,
        150,
        42,
        EmbeddingModels.DEFAULT);
  }

  public BenchOptions withBenchmarks(Set<Benchmark> chosen) {
    return new BenchOptions(
        suite,
        runs,
        chosen,
        workDir,
        queryCorpus,
        sampledQueries,
        warmupPasses,
        limit,
        tree,
        embedTexts,
        embedWords,
        seed,
        model);
  }

  public BenchOptions withQueryCorpus(QueryCorpus corpus) {
    return new BenchOptions(
        suite,
        runs,
        benchmarks,
        workDir,
        corpus,
        sampledQueries,
        warmupPasses,
        limit,
        tree,
        embedTexts,
        embedWords,
        seed,
        model);
  }

  public BenchOptions withTree(SyntheticTree t) {
    return new BenchOptions(
        suite,
        runs,
        benchmarks,
        workDir,
        queryCorpus,
        sampledQueries,
        warmupPasses,
        limit,
        t,
        embedTexts,
        embedWords,
        seed,
        model);
  }

  public BenchOptions withSampledQueries(int count) {
    return new BenchOptions(
        suite,
        runs,
        benchmarks,
        workDir,
        queryCorpus,
        count,
        warmupPasses,
        limit,
        tree,
        embedTexts,
        embedWords,
        seed,
        model);
  }

  /**
   * These options with the embedding model named {@code name} (as {@link
   * EmbeddingModels#identityOf} spells it).
   *
   * @throws IllegalArgumentException naming the available models when {@code name} is unknown
   */
  public BenchOptions withModel(String name) {
    return new BenchOptions(
        suite,
        runs,
        benchmarks,
        workDir,
        queryCorpus,
        sampledQueries,
        warmupPasses,
        limit,
        tree,
        embedTexts,
        embedWords,
        seed,
        EmbeddingModels.identityOf(name).name());
  }

  /**
   * What decides the meaning of the figures: runs are compared only when this is equal. Holds every
   * benchmark's inputs whether or not it runs, so a partial run ({@code --only}) is compared with a
   * full baseline figure by figure. The number of runs is not part of it.
   */
  public Map<String, String> config() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put(
        "query.corpus",
        switch (queryCorpus) {
          case QueryCorpus.Beir b ->
              "beir:" + b.dataDir().toAbsolutePath().normalize().getFileName() + "/" + b.split();
          case QueryCorpus.Tree t ->
              "tree:" + t.tree().directoryName() + ",queries=" + sampledQueries;
          case QueryCorpus.ExistingIndex i ->
              "index:" + i.indexDir().toAbsolutePath().normalize() + ",queries=" + sampledQueries;
        });
    c.put("query.limit", Integer.toString(limit));
    c.put("query.seed", Long.toString(seed));
    c.put("tree", tree.directoryName());
    c.put("embed.sample", embedTexts + "x" + embedWords + " words,seed=" + seed);
    // Only another model is named: runs of the default model stay comparable with the baselines
    // saved before the model could be chosen.
    if (!model.equals(EmbeddingModels.DEFAULT)) {
      c.put("model", model);
    }
    return c;
  }
}
