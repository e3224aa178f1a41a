package dev.quarry.search;

import dev.quarry.embed.EmbeddingModel;
import dev.quarry.index.CodeAnalyzer;
import dev.quarry.index.IndexMetadata;
import dev.quarry.index.IndexSchema;
import dev.quarry.index.QuarryIndex;
import dev.quarry.search.fusion.ReciprocalRankFusion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RegexpQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.util.VectorUtil;

/**
 * Answers {@link SearchRequest}s over a {@link QuarryIndex}: BM25, kNN, or both fused by reciprocal
 * rank. Thread-safe: each search acquires its own Lucene searcher.
 */
public final class Searcher {
  /** Graph hits fetched per wanted hit, for exact rescoring. */
  private static final int OVERSAMPLE = 3;
  /** Lines of the chunk a snippet shows. */
  private static final int SNIPPET_LINES = 3;

  private final QuarryIndex index;
  private final EmbeddingModel model; // null: lexical only
  private final Ranking ranking;
  private final QueryTerms analysis = new QueryTerms(new CodeAnalyzer());
  private final BM25Similarity similarity;

  /**
   * @param model the model the index's vectors come from, or null to answer lexically only
   * @throws IllegalArgumentException when {@code model} is not the index's model
   */
  public Searcher(QuarryIndex index, EmbeddingModel model, Ranking ranking) throws IOException {
    this.index = index;
    this.model = model;
    this.ranking = ranking;
    this.similarity = new BM25Similarity(ranking.k1(), ranking.b());
    String indexed = index.commitData().get(IndexMetadata.MODEL);
    if (model != null && indexed != null && !indexed.equals(model.identity().id())) {
      throw new IllegalArgumentException("the index's vectors come from '" + indexed
          + "', not from '" + model.identity().id() + "'");
    }
  }

  public List<SearchHit> search(SearchRequest request) throws IOException {
    if (request.mode() != SearchMode.LEXICAL && model == null) {
      throw new IllegalStateException(
          request.mode().name().toLowerCase(java.util.Locale.ROOT)
              + " search needs the index's embedding model, and none is loaded");
    }
    IndexSearcher searcher = index.acquireSearcher();
    try {
      searcher.setSimilarity(similarity);
      Query filter = filter(request);
      Set<String> terms = analysis.terms(IndexSchema.TEXT, request.query());
      List<ScoredDoc> ranked = switch (request.mode()) {
        case LEXICAL -> lexical(searcher, terms, filter, request.limit());
        case SEMANTIC -> semantic(searcher, request.query(), filter, request.limit());
        case HYBRID -> hybrid(searcher, terms, request, filter);
      };
      return toHits(searcher, ranked, terms);
    } finally {
      index.releaseSearcher(searcher);
    }
  }

  private record ScoredDoc(int doc, double score) {}

  private List<ScoredDoc> lexical(IndexSearcher searcher, Set<String> terms, Query filter, int n)
      throws IOException {
    if (terms.isEmpty()) {
      return List.of();
    }
    BooleanQuery.Builder should = new BooleanQuery.Builder();
    for (String term : terms) {
      should.add(new TermQuery(new Term(IndexSchema.TEXT, term)), BooleanClause.Occur.SHOULD);
      should.add(boost(new TermQuery(new Term(IndexSchema.CONTEXT, term)), ranking.contextBoost()),
          BooleanClause.Occur.SHOULD);
      should.add(boost(new TermQuery(new Term(IndexSchema.PATH_TEXT, term)), ranking.pathBoost()),
          BooleanClause.Occur.SHOULD);
    }
    Query query = new BooleanQuery.Builder()
        .add(should.build(), BooleanClause.Occur.MUST)
        .add(filter, BooleanClause.Occur.FILTER)
        .build();
    return scored(searcher.search(query, n));
  }

  /**
   * kNN over the int8-quantized graph, then exact rescoring with the stored float vectors: the
   * quantized scores are approximate, and in small segments (a few files changed since the last
   * merge) the quantization range is estimated from a handful of vectors and ranks poorly. The
   * graph search asks for {@value #OVERSAMPLE}× the hits so rescoring can reorder them.
   */
  private List<ScoredDoc> semantic(IndexSearcher searcher, String query, Query filter, int n)
      throws IOException {
    float[] vector = model.embedQuery(query);
    int candidates = n * OVERSAMPLE;
    TopDocs top = searcher.search(new KnnFloatVectorQuery(IndexSchema.VECTOR, vector, candidates, filter), candidates);
    List<ScoredDoc> docs = new ArrayList<>(top.scoreDocs.length);
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    for (ScoreDoc sd : top.scoreDocs) {
      LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(sd.doc, leaves));
      FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
      KnnVectorValues.DocIndexIterator it = values.iterator();
      int local = sd.doc - leaf.docBase;
      if (it.advance(local) != local) {
        continue; // cannot happen: the hit came from this field
      }
      docs.add(new ScoredDoc(sd.doc, VectorUtil.dotProduct(vector, values.vectorValue(it.index()))));
    }
    docs.sort((a, b) -> a.score() != b.score() ? Double.compare(b.score(), a.score()) : Integer.compare(a.doc(), b.doc()));
    return docs.size() > n ? List.copyOf(docs.subList(0, n)) : docs;
  }

  private List<ScoredDoc> hybrid(IndexSearcher searcher, Set<String> terms, SearchRequest request,
      Query filter) throws IOException {
    int candidates = Math.max(ranking.hybridCandidates(), request.limit());
    List<ScoredDoc> lexical = lexical(searcher, terms, filter, candidates);
    List<ScoredDoc> semantic = semantic(searcher, request.query(), filter, candidates);
    var fused = new ReciprocalRankFusion(ranking.rrfK()).fuse(List.of(
        new ReciprocalRankFusion.RankedList<>(lexical.stream().map(ScoredDoc::doc).toList(), ranking.lexicalWeight()),
        new ReciprocalRankFusion.RankedList<>(semantic.stream().map(ScoredDoc::doc).toList(), ranking.semanticWeight())));
    List<ScoredDoc> out = new ArrayList<>();
    for (int i = 0; i < Math.min(request.limit(), fused.size()); i++) {
      out.add(new ScoredDoc(fused.get(i).item(), fused.get(i).score()));
    }
    return out;
  }

  private static Query boost(Query query, float boost) {
    return boost == 1f ? query : new BoostQuery(query, boost);
  }

  private static List<ScoredDoc> scored(TopDocs top) {
    List<ScoredDoc> docs = new ArrayList<>(top.scoreDocs.length);
    for (ScoreDoc sd : top.scoreDocs) {
      docs.add(new ScoredDoc(sd.doc, sd.score));
    }
    return docs;
  }

  private static Query filter(SearchRequest request) {
    BooleanQuery.Builder filter = new BooleanQuery.Builder();
    filter.add(new TermQuery(new Term(IndexSchema.TYPE, IndexSchema.TYPE_CHUNK)), BooleanClause.Occur.FILTER);
    request.pathGlob().ifPresent(glob ->
        filter.add(new RegexpQuery(new Term(IndexSchema.PATH, PathGlob.toRegexp(glob))), BooleanClause.Occur.FILTER));
    request.language().ifPresent(lang ->
        filter.add(new TermQuery(new Term(IndexSchema.LANGUAGE, lang.toLowerCase(java.util.Locale.ROOT))),
            BooleanClause.Occur.FILTER));
    return filter.build();
  }

  private List<SearchHit> toHits(IndexSearcher searcher, List<ScoredDoc> ranked, Set<String> terms)
      throws IOException {
    Map<String, Boolean> staleByFile = new HashMap<>();
    List<SearchHit> hits = new ArrayList<>(ranked.size());
    for (ScoredDoc sd : ranked) {
      Document doc = searcher.storedFields().document(sd.doc());
      String file = doc.get(IndexSchema.FILE);
      String text = doc.get(IndexSchema.TEXT);
      int startLine = doc.getField(IndexSchema.START_LINE).numericValue().intValue();
      Boolean stale = staleByFile.get(file);
      if (stale == null) {
        stale = isStale(searcher, file);
        staleByFile.put(file, stale);
      }
      hits.add(new SearchHit(
          file,
          doc.get(IndexSchema.PATH),
          doc.get(IndexSchema.LANGUAGE),
          startLine,
          doc.getField(IndexSchema.END_LINE).numericValue().intValue(),
          doc.getField(IndexSchema.PAGE).numericValue().intValue(),
          sd.score(),
          doc.get(IndexSchema.CONTEXT),
          text,
          snippet(text, startLine, terms),
          stale));
    }
    return hits;
  }

  /** A file is stale when its size or mtime differs from the manifest, or it is gone. */
  private boolean isStale(IndexSearcher searcher, String file) throws IOException {
    QuarryIndex.ManifestStat recorded = index.manifestStat(searcher, file);
    if (recorded == null) {
      return true;
    }
    try {
      BasicFileAttributes attributes =
          Files.readAttributes(Path.of(file), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
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
      List<int[]> m = terms.isEmpty() ? List.of() : analysis.matches(IndexSchema.TEXT, lines[i], terms);
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
