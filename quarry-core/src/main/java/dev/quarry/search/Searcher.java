package dev.quarry.search;

import dev.quarry.analysis.CodeAnalyzer;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.extract.Languages;
import dev.quarry.search.fusion.FusionWeights;
import dev.quarry.search.fusion.QueryShape;
import dev.quarry.search.fusion.ReciprocalRankFusion;
import dev.quarry.search.fusion.ScoreFusion;
import dev.quarry.store.ChunkQuery;
import dev.quarry.store.IndexMetadata;
import dev.quarry.store.SearchableStore;
import dev.quarry.store.StoreView;
import dev.quarry.store.StoreView.ScoredChunk;
import dev.quarry.store.StoredChunk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Answers {@link SearchRequest}s over a {@link SearchableStore}: BM25, kNN, or both fused by
 * reciprocal rank, each hit with its best lines and a staleness flag. The store runs the two legs;
 * this class decides what to ask, fuses and renders. Thread-safe: each search takes its own view of
 * the last commit.
 */
public final class Searcher {
  /**
   * The field name queries and snippets are analyzed under: {@link CodeAnalyzer} treats every field
   * alike, and the store indexes chunk text with the same analyzer.
   */
  private static final String ANALYZED_AS = "text";

  /**
   * Distinct query terms searched for; the rest of a longer query is dropped. People paste a
   * paragraph or a stack trace as a query, and every term costs the store a clause per field it
   * searches (three in Lucene, whose limit for one query is 1,024 clauses). The first terms are
   * kept: a stack trace's exception and message, a question's subject, come first, and a semantic
   * query's embedding also sees only the start of the text (the model's window).
   */
  static final int MAX_QUERY_TERMS = 256;

  /**
   * Candidates per hit asked for when the list is reranked ({@link FileRerank}): what is demoted
   * makes room for others, and a definition or a coherent file further down can rise (code search,
   * lexical: 3 per hit 0.7747, 10 per hit 0.7887).
   */
  private static final int DIVERSITY_CANDIDATES = 10;

  /** Lines of the chunk a snippet shows. */
  private static final int SNIPPET_LINES = 3;

  private final SearchableStore store;
  private final EmbeddingModel model; // null: lexical only
  private final Ranking ranking;
  private final FusionWeights fusionWeights;
  private final QueryTerms analysis = new QueryTerms(new CodeAnalyzer());

  /**
   * @param model the model the index's vectors come from, or null to answer lexically only
   * @throws IllegalArgumentException when {@code model} is not the index's model
   */
  public Searcher(SearchableStore store, EmbeddingModel model, Ranking ranking) throws IOException {
    this.store = store;
    this.model = model;
    this.ranking = ranking;
    this.fusionWeights =
        ranking
            .fusionWeights()
            .orElseGet(
                () ->
                    model == null
                        ? FusionWeights.EQUAL
                        : FusionWeights.fittedFor(model.identity().name()));
    String indexed;
    try (StoreView view = store.view()) {
      indexed = view.commitData().get(IndexMetadata.MODEL);
    }
    if (model != null && indexed != null && !indexed.equals(model.identity().id())) {
      throw new IllegalArgumentException(
          "the index's vectors come from '"
              + indexed
              + "', not from '"
              + model.identity().id()
              + "'");
    }
  }

  /** The hits of one search and the commit generation they come from. */
  public record Answer(List<SearchHit> hits, long generation) {
    public Answer {
      hits = List.copyOf(hits);
    }
  }

  public List<SearchHit> search(SearchRequest request) throws IOException {
    try (StoreView view = store.view()) {
      return hits(view, request);
    }
  }

  /**
   * As {@link #search}, also saying which commit answered (see {@link StoreView#generation}): a
   * server reports it and keys its result cache by it.
   */
  public Answer answer(SearchRequest request) throws IOException {
    try (StoreView view = store.view()) {
      // Read first: a remote store's next commit may land between its requests, and hits newer
      // than the generation they are cached under are harmless, older ones would stay stale.
      long generation = view.generation();
      return new Answer(hits(view, request), generation);
    }
  }

  private List<SearchHit> hits(StoreView view, SearchRequest request) throws IOException {
    Set<String> terms = analysis.terms(ANALYZED_AS, request.query(), MAX_QUERY_TERMS);
    return toHits(view, rank(view, request, terms), terms);
  }

  /** Where a hit is: its chunk's file, path relative to its root, and lines. */
  public record Location(String file, String path, int startLine, int endLine, double score) {}

  /**
   * As {@link #search}, only where the hits are: no snippets, no staleness check (which read each
   * chunk's lines and stat each file). For evaluations, which search thousands of times and look at
   * nothing else.
   */
  public List<Location> locate(SearchRequest request) throws IOException {
    Set<String> terms = analysis.terms(ANALYZED_AS, request.query(), MAX_QUERY_TERMS);
    try (StoreView view = store.view()) {
      List<Location> locations = new ArrayList<>();
      for (ScoredChunk scored : rank(view, request, terms)) {
        StoredChunk chunk = view.chunk(scored.ref());
        locations.add(
            new Location(
                chunk.file(), chunk.path(), chunk.startLine(), chunk.endLine(), scored.score()));
      }
      return locations;
    }
  }

  private List<ScoredChunk> rank(StoreView view, SearchRequest request, Set<String> terms)
      throws IOException {
    if (request.mode() != SearchMode.LEXICAL && model == null) {
      throw new IllegalStateException(
          request.mode().name().toLowerCase(Locale.ROOT)
              + " search needs the index's embedding model, and none is loaded");
    }
    ChunkQuery query =
        chunkQuery(
            terms,
            request.pathGlob().map(PathGlob::toRegexp),
            request.language().map(l -> l.toLowerCase(Locale.ROOT)));
    boolean diverse = FileRerank.applies(ranking);
    // Reranked by file, more candidates than asked for: what is demoted makes room for others.
    int wanted = diverse ? Math.min(request.limit() * DIVERSITY_CANDIDATES, 300) : request.limit();
    List<ScoredChunk> ranked =
        switch (request.mode()) {
          case LEXICAL -> view.lexical(query, wanted);
          case SEMANTIC -> view.nearest(model.embedQuery(request.query()), query, wanted);
          case HYBRID -> hybrid(view, query, request, wanted);
        };
    return diverse
        ? FileRerank.rerank(view, ranked, ranking, request.query(), terms, request.limit())
        : ranked;
  }

  /** The store's query for {@code terms} with this searcher's ranking, within the filters. */
  private ChunkQuery chunkQuery(
      Set<String> terms, Optional<String> pathRegexp, Optional<String> language) {
    return new ChunkQuery(
        terms,
        ranking.contextBoost(),
        ranking.pathBoost(),
        ranking.k1(),
        ranking.b(),
        pathRegexp,
        language);
  }

  private List<ScoredChunk> hybrid(
      StoreView view, ChunkQuery query, SearchRequest request, int wanted) throws IOException {
    int candidates = Math.max(ranking.hybridCandidates(), wanted);
    List<ScoredChunk> lexical = view.lexical(query, candidates);
    List<ScoredChunk> semantic = view.nearest(model.embedQuery(request.query()), query, candidates);
    double share = fusionWeights.lexicalShare(shape(view, request.query(), lexical, semantic));
    List<ScoredChunk> out = new ArrayList<>();
    if (ranking.fusion() == Ranking.Fusion.SCORES) {
      var fused = ScoreFusion.fuse(lexical, semantic, ScoredChunk::ref, ScoredChunk::score, share);
      fused.stream().limit(wanted).forEach(f -> out.add(new ScoredChunk(f.item(), f.score())));
      return out;
    }
    // Twice the shares: equal shares are plain RRF's weights of 1.
    var fused =
        new ReciprocalRankFusion(ranking.rrfK())
            .fuse(
                List.of(
                    new ReciprocalRankFusion.RankedList<>(
                        lexical.stream().map(ScoredChunk::ref).toList(), 2 * share),
                    new ReciprocalRankFusion.RankedList<>(
                        semantic.stream().map(ScoredChunk::ref).toList(), 2 * (1 - share))));
    fused.stream().limit(wanted).forEach(f -> out.add(new ScoredChunk(f.item(), f.score())));
    return out;
  }

  /** Chunks looked at to tell whether a query's best matches are code. */
  private static final int SHAPE_SAMPLE = 10;

  /**
   * The shape of a query given its two legs: its best matches are code when most of the first
   * lexical candidates are (the semantic ones when there are none); text amid code when they are
   * not, but most of all its lexical candidates are.
   */
  private static QueryShape shape(
      StoreView view, String query, List<ScoredChunk> lexical, List<ScoredChunk> semantic)
      throws IOException {
    if (QueryShape.isSymbol(query)) {
      return QueryShape.SYMBOL;
    }
    List<ScoredChunk> candidates = lexical.isEmpty() ? semantic : lexical;
    int sample = Math.min(SHAPE_SAMPLE, candidates.size());
    int codeInSample = 0;
    int code = 0;
    int n = candidates.size();
    // Each candidate's language is a stored-field read: past the sample, stop once the majority
    // of all candidates is decided either way.
    for (int i = 0; i < n && (i < sample || (2 * code <= n && 2 * (code + n - i) > n)); i++) {
      if (Languages.isCode(view.language(candidates.get(i).ref()))) {
        code++;
        if (i < sample) {
          codeInSample++;
        }
      }
      if (i + 1 == sample && 2 * codeInSample > sample) {
        return QueryShape.of(query, QueryShape.Matches.CODE);
      }
    }
    return QueryShape.of(
        query, 2 * code > n ? QueryShape.Matches.TEXT_AMID_CODE : QueryShape.Matches.TEXT);
  }

  /**
   * The shape fusion gives {@code query} on this index (see {@link QueryShape}): for evaluations
   * that fit the shares per shape.
   */
  public QueryShape shape(String query) throws IOException {
    Set<String> terms = analysis.terms(ANALYZED_AS, query, MAX_QUERY_TERMS);
    ChunkQuery chunks = chunkQuery(terms, Optional.empty(), Optional.empty());
    try (StoreView view = store.view()) {
      List<ScoredChunk> lexical = view.lexical(chunks, ranking.hybridCandidates());
      List<ScoredChunk> semantic =
          lexical.isEmpty()
              ? view.nearest(model.embedQuery(query), chunks, ranking.hybridCandidates())
              : List.of();
      return shape(view, query, lexical, semantic);
    }
  }

  private List<SearchHit> toHits(StoreView view, List<ScoredChunk> ranked, Set<String> terms)
      throws IOException {
    Map<String, Boolean> staleByFile = new HashMap<>();
    List<SearchHit> hits = new ArrayList<>(ranked.size());
    for (ScoredChunk scored : ranked) {
      StoredChunk chunk = view.chunk(scored.ref());
      Boolean stale = staleByFile.get(chunk.file());
      if (stale == null) {
        stale = isStale(view, chunk.file());
        staleByFile.put(chunk.file(), stale);
      }
      hits.add(
          new SearchHit(
              chunk.file(),
              chunk.path(),
              chunk.language(),
              chunk.startLine(),
              chunk.endLine(),
              chunk.page(),
              scored.score(),
              chunk.context(),
              chunk.text(),
              snippet(chunk.text(), chunk.startLine(), terms),
              stale));
    }
    return hits;
  }

  /**
   * A file is stale when its size or mtime differs from the manifest, or it is gone. Links are
   * followed: a file reached through one (indexed with follow-symlinks) was recorded with its
   * target's size and mtime, and without follow-symlinks no link is ever indexed.
   */
  private static boolean isStale(StoreView view, String file) throws IOException {
    StoreView.ManifestStat recorded = view.manifestStat(file);
    if (recorded == null) {
      return true;
    }
    try {
      BasicFileAttributes attributes =
          Files.readAttributes(Path.of(file), BasicFileAttributes.class);
      return recorded.size() != attributes.size()
          || recorded.mtimeMillis() != attributes.lastModifiedTime().toMillis();
    } catch (IOException e) {
      return true;
    }
  }

  private List<SnippetLine> snippet(String text, int firstLine, Set<String> terms) {
    String[] lines = text.split("\n", -1);
    int[] matchCounts = new int[lines.length];
    List<List<int[]>> matches = new ArrayList<>(lines.length);
    for (int i = 0; i < lines.length; i++) {
      List<int[]> m = terms.isEmpty() ? List.of() : analysis.matches(ANALYZED_AS, lines[i], terms);
      matches.add(m);
      matchCounts[i] = m.size();
    }
    int window = Math.min(SNIPPET_LINES, lines.length);
    int best = 0;
    int bestScore = -1;
    for (int start = 0; start + window <= lines.length; start++) {
      int score = 0;
      for (int i = start; i < start + window; i++) {
        score += matchCounts[i];
      }
      if (score > bestScore) {
        best = start;
        bestScore = score;
      }
    }
    List<SnippetLine> snippet = new ArrayList<>(window);
    for (int i = best; i < best + window; i++) {
      snippet.add(new SnippetLine(firstLine + i, lines[i], matches.get(i)));
    }
    return snippet;
  }
}
