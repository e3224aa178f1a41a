package dev.quarry.index;

import dev.quarry.store.ChunkQuery;
import dev.quarry.store.StoreView;
import dev.quarry.store.StoredChunk;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DocumentStoredFieldVisitor;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RegexpQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.VectorUtil;

/** A {@link StoreView} of the embedded Lucene index: one acquired searcher, released on close. */
final class LuceneStoreView implements StoreView {
  /** Graph hits fetched per wanted hit, for exact rescoring. */
  private static final int OVERSAMPLE = 3;

  private final SearcherManager searchers;
  private final IndexSearcher searcher;

  LuceneStoreView(SearcherManager searchers) throws IOException {
    this.searchers = searchers;
    this.searcher = searchers.acquire();
  }

  @Override
  public long generation() throws IOException {
    return ((DirectoryReader) searcher.getIndexReader()).getIndexCommit().getGeneration();
  }

  @Override
  public Map<String, String> commitData() throws IOException {
    return Map.copyOf(((DirectoryReader) searcher.getIndexReader()).getIndexCommit().getUserData());
  }

  @Override
  public List<ScoredChunk> lexical(ChunkQuery query, int n) throws IOException {
    if (query.terms().isEmpty()) {
      return List.of();
    }
    // A searcher of its own for the query's BM25 knobs: the acquired one is shared by every search
    // of this commit (SearcherManager), and setting its similarity would race with theirs.
    IndexSearcher scoring = new IndexSearcher(searcher.getIndexReader());
    scoring.setSimilarity(new BM25Similarity(query.k1(), query.b()));
    BooleanQuery.Builder should = new BooleanQuery.Builder();
    for (String term : query.terms()) {
      should.add(new TermQuery(new Term(IndexSchema.TEXT, term)), BooleanClause.Occur.SHOULD);
      should.add(
          boost(new TermQuery(new Term(IndexSchema.CONTEXT, term)), query.contextBoost()),
          BooleanClause.Occur.SHOULD);
      should.add(
          boost(new TermQuery(new Term(IndexSchema.PATH_TEXT, term)), query.pathBoost()),
          BooleanClause.Occur.SHOULD);
    }
    Query lucene =
        new BooleanQuery.Builder()
            .add(should.build(), BooleanClause.Occur.MUST)
            .add(filter(query), BooleanClause.Occur.FILTER)
            .build();
    TopDocs top = scoring.search(lucene, n);
    List<ScoredChunk> chunks = new ArrayList<>(top.scoreDocs.length);
    for (ScoreDoc sd : top.scoreDocs) {
      chunks.add(new ScoredChunk(sd.doc, sd.score));
    }
    return chunks;
  }

  /**
   * kNN over the int8-quantized graph, then exact rescoring with the stored float vectors: the
   * quantized scores are approximate, and in small segments (a few files changed since the last
   * merge) the quantization range is estimated from a handful of vectors and ranks poorly. The
   * graph search asks for {@value #OVERSAMPLE}× the hits so rescoring can reorder them.
   */
  @Override
  public List<ScoredChunk> nearest(float[] vector, ChunkQuery filter, int n) throws IOException {
    int candidates = n * OVERSAMPLE;
    TopDocs top =
        searcher.search(
            new KnnFloatVectorQuery(IndexSchema.VECTOR, vector, candidates, filter(filter)),
            candidates);
    List<ScoredChunk> chunks = new ArrayList<>(top.scoreDocs.length);
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    for (ScoreDoc sd : top.scoreDocs) {
      LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(sd.doc, leaves));
      FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
      KnnVectorValues.DocIndexIterator it = values.iterator();
      int local = sd.doc - leaf.docBase;
      if (it.advance(local) != local) {
        continue; // cannot happen: the hit came from this field
      }
      chunks.add(
          new ScoredChunk(sd.doc, VectorUtil.dotProduct(vector, values.vectorValue(it.index()))));
    }
    chunks.sort(
        (a, b) ->
            a.score() != b.score()
                ? Double.compare(b.score(), a.score())
                : Long.compare(a.ref(), b.ref()));
    return chunks.size() > n ? List.copyOf(chunks.subList(0, n)) : chunks;
  }

  @Override
  public StoredChunk chunk(long ref) throws IOException {
    Document doc = searcher.storedFields().document(Math.toIntExact(ref));
    return new StoredChunk(
        doc.get(IndexSchema.FILE),
        doc.get(IndexSchema.PATH),
        doc.get(IndexSchema.LANGUAGE),
        doc.getField(IndexSchema.START_LINE).numericValue().intValue(),
        doc.getField(IndexSchema.END_LINE).numericValue().intValue(),
        doc.getField(IndexSchema.PAGE).numericValue().intValue(),
        doc.get(IndexSchema.CONTEXT),
        doc.get(IndexSchema.TEXT));
  }

  @Override
  public String language(long ref) throws IOException {
    DocumentStoredFieldVisitor visitor = new DocumentStoredFieldVisitor(IndexSchema.LANGUAGE);
    searcher.storedFields().document(Math.toIntExact(ref), visitor);
    return visitor.getDocument().get(IndexSchema.LANGUAGE);
  }

  /**
   * A terms-dictionary seek and two doc-value reads per segment: searches check every hit's file
   * for staleness, and a query plus a stored document per hit was 7.5% of a lexical search's time.
   */
  @Override
  public ManifestStat manifestStat(String file) throws IOException {
    BytesRef id = new BytesRef(file);
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      Terms terms = leaf.reader().terms(IndexSchema.MANIFEST_ID);
      if (terms == null) {
        continue;
      }
      TermsEnum termsEnum = terms.iterator();
      if (!termsEnum.seekExact(id)) {
        continue;
      }
      PostingsEnum postings = termsEnum.postings(null, PostingsEnum.NONE);
      Bits live = leaf.reader().getLiveDocs();
      for (int doc = postings.nextDoc();
          doc != DocIdSetIterator.NO_MORE_DOCS;
          doc = postings.nextDoc()) {
        if (live != null && !live.get(doc)) {
          continue;
        }
        NumericDocValues size = leaf.reader().getNumericDocValues(ManifestColumns.SIZE);
        NumericDocValues mtime = leaf.reader().getNumericDocValues(ManifestColumns.MTIME);
        if (size != null && mtime != null && size.advanceExact(doc) && mtime.advanceExact(doc)) {
          return new ManifestStat(size.longValue(), mtime.longValue());
        }
      }
    }
    return null;
  }

  @Override
  public void forEachVector(VectorSink sink) throws IOException {
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
      if (values == null) {
        continue;
      }
      StoredFields fields = leaf.reader().storedFields();
      Bits live = leaf.reader().getLiveDocs();
      KnnVectorValues.DocIndexIterator it = values.iterator();
      for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
        if (live == null || live.get(doc)) {
          sink.accept(
              fields.document(doc).get(IndexSchema.CHUNK_HASH),
              values.vectorValue(it.index()).clone());
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    searchers.release(searcher);
  }

  private static Query boost(Query query, float boost) {
    return boost == 1f ? query : new BoostQuery(query, boost);
  }

  /** Chunks only, restricted by path and language when the query says so. */
  private static Query filter(ChunkQuery query) {
    BooleanQuery.Builder filter = new BooleanQuery.Builder();
    filter.add(
        new TermQuery(new Term(IndexSchema.TYPE, IndexSchema.TYPE_CHUNK)),
        BooleanClause.Occur.FILTER);
    query
        .pathRegexp()
        .ifPresent(
            regexp ->
                filter.add(
                    new RegexpQuery(new Term(IndexSchema.PATH, regexp)),
                    BooleanClause.Occur.FILTER));
    query
        .language()
        .ifPresent(
            language ->
                filter.add(
                    new TermQuery(new Term(IndexSchema.LANGUAGE, language)),
                    BooleanClause.Occur.FILTER));
    return filter.build();
  }
}
