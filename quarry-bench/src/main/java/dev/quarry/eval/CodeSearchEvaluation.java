package dev.quarry.eval;

import dev.quarry.Quarry;
import dev.quarry.cache.CacheSettings;
import dev.quarry.chunk.ChunkerKind;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.eval.CodeSearchDataset.Query;
import dev.quarry.eval.CodeSearchDataset.Repository;
import dev.quarry.eval.CodeSearchMetrics.Chunk;
import dev.quarry.eval.CodeSearchScores.QueryScore;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.pipeline.RunListener;
import dev.quarry.pipeline.RunSummary;
import dev.quarry.scan.ScanOptions;
import dev.quarry.search.Ranking;
import dev.quarry.search.SearchMode;
import dev.quarry.search.SearchRequest;
import dev.quarry.search.Searcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Evaluates Quarry on a code-search set the way a user would meet it: each repository is indexed on
 * its own by the real pipeline (a real index per repository, kept in a work folder outside the
 * data, brought up to date incrementally, so a rerun on an unchanged set reads nothing), and each
 * of its queries is searched through the real searcher for its top 10 chunks, scored by {@link
 * CodeSearchMetrics}.
 */
public final class CodeSearchEvaluation {
  /** The benchmark ranks this many chunks per query. */
  public static final int CHUNKS_PER_QUERY = 10;

  private final CodeSearchDataset dataset;
  private final Path workDir;
  private final String model;
  private final ChunkerKind chunker;
  private final CacheSettings cache;

  /** What an evaluation tells as it goes (for progress on stderr). */
  public interface Progress {
    /** The listener of the run that indexes {@code repo}, the {@code index}-th of {@code count}. */
    default RunListener indexing(Repository repo, int index, int count) {
      return RunListener.NONE;
    }

    default void indexed(Repository repo, RunSummary summary) {}

    default void scored(Repository repo, String mode, double ndcgAt10, int queries) {}

    Progress NONE = new Progress() {};
  }

  /** The whole result: the repositories evaluated, each mode's scores, the indexing runs. */
  public record Report(
      List<Repository> repositories,
      List<CodeSearchScores> results,
      Map<String, RunSummary> indexRuns) {
    public Report {
      repositories = List.copyOf(repositories);
      results = List.copyOf(results);
      indexRuns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(indexRuns));
    }

    public double indexSeconds() {
      return indexRuns.values().stream().mapToDouble(RunSummary::wallSeconds).sum();
    }
  }

  /** With the default embedding model. */
  public CodeSearchEvaluation(CodeSearchDataset dataset, Path workDir, CacheSettings cache) {
    this(dataset, workDir, EmbeddingModels.DEFAULT, cache);
  }

  /**
   * @param workDir where the indexes live ({@code workDir/NAME/index} with the default model's
   *     vectors, {@code index-MODEL} with another's, {@code index-lexical} without)
   * @param model the embedding model's name
   * @param cache the embedding cache (the disk tier makes a rerun that must embed fast)
   */
  public CodeSearchEvaluation(
      CodeSearchDataset dataset, Path workDir, String model, CacheSettings cache) {
    this(dataset, workDir, model, cache, ChunkerKind.LINES);
  }

  private CodeSearchEvaluation(
      CodeSearchDataset dataset,
      Path workDir,
      String model,
      CacheSettings cache,
      ChunkerKind chunker) {
    this.dataset = dataset;
    this.workDir = workDir;
    this.model = model;
    this.cache = cache;
    this.chunker = chunker;
  }

  /**
   * The same evaluation with files chunked by {@code kind} (default: lines), in indexes of its own.
   */
  public CodeSearchEvaluation chunkedBy(ChunkerKind kind) {
    return new CodeSearchEvaluation(dataset, workDir, model, cache, kind);
  }

  /** The index of {@code repo}: with vectors when {@code embed}. */
  public Path indexDir(Repository repo, boolean embed) {
    // One index per model: an index never mixes two models' vectors.
    String vectors = model.equalsIgnoreCase(EmbeddingModels.DEFAULT) ? "index" : "index-" + model;
    String name = embed ? vectors : "index-lexical";
    return workDir
        .resolve(repo.name())
        .resolve(chunker == ChunkerKind.LINES ? name : name + "-" + chunker.text());
  }

  /** Brings the index of {@code repo} up to date (a no-op when nothing changed). */
  public RunSummary index(Repository repo, boolean embed, RunListener listener)
      throws IOException, InterruptedException {
    IndexOptions options =
        IndexOptions.of(
                List.of(dataset.root(repo).toAbsolutePath().normalize()),
                indexDir(repo, embed),
                ScanOptions.defaults(),
                embed,
                model)
            .withCache(cache)
            .withChunker(chunker);
    return Quarry.run(options).listener(listener).index();
  }

  /**
   * Indexes each of {@code repositories} (vectors only when a mode needs them), runs its queries in
   * every one of {@code modes} and scores them.
   */
  public Report evaluate(List<Repository> repositories, List<SearchMode> modes, Progress progress)
      throws IOException, InterruptedException {
    boolean embed = modes.stream().anyMatch(m -> m != SearchMode.LEXICAL);
    Map<SearchMode, List<QueryScore>> scores = new LinkedHashMap<>();
    modes.forEach(m -> scores.put(m, new ArrayList<>()));
    Map<String, RunSummary> runs = new LinkedHashMap<>();
    int n = 0;
    for (Repository repo : repositories) {
      n++;
      RunSummary run = index(repo, embed, progress.indexing(repo, n, repositories.size()));
      runs.put(repo.name(), run);
      progress.indexed(repo, run);
      List<Query> queries =
          dataset.queries().stream().filter(q -> q.repo().equals(repo.name())).toList();
      try (Quarry.SearchSession session =
          Quarry.search(indexDir(repo, embed))
              .withModel(embed)
              .ranking(Ranking.defaults())
              .open()) {
        for (SearchMode mode : modes) {
          List<QueryScore> mine = new ArrayList<>();
          for (Query query : queries) {
            mine.add(new QueryScore(query, score(session, query, mode)));
          }
          scores.get(mode).addAll(mine);
          progress.scored(
              repo,
              modeName(mode),
              mine.stream().mapToDouble(QueryScore::ndcgAt10).average().orElse(0),
              mine.size());
        }
      }
    }
    List<CodeSearchScores> results = new ArrayList<>();
    scores.forEach(
        (mode, list) -> results.add(CodeSearchScores.of(modeName(mode), repositories, list)));
    return new Report(repositories, results, runs);
  }

  /**
   * Indexes each of {@code repositories} with vectors and scores hybrid search on its queries under
   * each fusion method and lexical share (see {@link FusionSweep}); a query's group is its
   * repository.
   */
  public FusionSweep sweepFusion(List<Repository> repositories, Progress progress)
      throws IOException, InterruptedException {
    FusionSweep sweep = new FusionSweep();
    int n = 0;
    for (Repository repo : repositories) {
      n++;
      RunSummary run = index(repo, true, progress.indexing(repo, n, repositories.size()));
      progress.indexed(repo, run);
      try (Quarry.SearchSession session =
              Quarry.search(indexDir(repo, true))
                  .withModel(true)
                  .ranking(Ranking.defaults())
                  .open();
          SweepSearchers searchers = new SweepSearchers(session)) {
        for (Query query : dataset.queries()) {
          if (query.repo().equals(repo.name())) {
            sweep.add(
                repo.name(),
                searchers.with(Ranking.defaults()).shape(query.text()),
                Ranking.defaults(),
                r -> score(searchers.with(r), query, SearchMode.HYBRID));
          }
        }
      }
    }
    return sweep;
  }

  /** NDCG@10 of one query: its top 10 chunks, as the searcher ranks them. */
  static double score(Quarry.SearchSession session, Query query, SearchMode mode)
      throws IOException {
    return score(session.searcher(), query, mode);
  }

  private static double score(Searcher searcher, Query query, SearchMode mode) throws IOException {
    List<Searcher.Location> hits =
        searcher.locate(SearchRequest.of(query.text(), CHUNKS_PER_QUERY, mode));
    List<Chunk> ranked =
        hits.stream().map(h -> new Chunk(h.path(), h.startLine(), h.endLine())).toList();
    return CodeSearchMetrics.ndcgAt(CHUNKS_PER_QUERY, ranked, query.targets());
  }

  static String modeName(SearchMode mode) {
    return mode.name().toLowerCase(Locale.ROOT);
  }
}
