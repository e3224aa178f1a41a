package dev.quarry.bench.peer;

import dev.quarry.Quarry;
import dev.quarry.analysis.CodeAnalyzer;
import dev.quarry.bench.LatencyStats;
import dev.quarry.bench.QuerySet;
import dev.quarry.index.IndexSchema;
import dev.quarry.search.Ranking;
import dev.quarry.search.SearchMode;
import dev.quarry.search.SearchRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.FSDirectory;

/**
 * The peer of the lexical query-latency benchmark: the same queries over the same index, in one
 * process, interleaved query by query (shuffled order per pass), three ways:
 *
 * <ol>
 *   <li>quarry: Quarry's Searcher, lexical mode, as 'quarry search --mode lexical' runs it (query
 *       analysis, BM25 over text + heading path + file path with a type filter, stored fields,
 *       snippets, staleness check of each hit's file);
 *   <li>lucene-same-query: a plain Lucene IndexSearcher running the BooleanQuery Quarry builds
 *       (mirrors Searcher.lexical at this commit), top hits only, nothing rendered;
 *   <li>lucene-bm25-text: plain Lucene BM25 over the one text field, top hits, plus each hit's
 *       stored path: the floor any engine on this index pays.
 * </ol>
 *
 * Prints one line per way: p50/p95/p99/max ms and single-thread QPS. Run by bench/query-latency.sh.
 * Usage: java ... dev.quarry.bench.peer.QueryLatencyPeer INDEX_DIR (beir:DATA_DIR | terms:COUNT)
 * [PASSES] [WARMUP] [K]
 */
public class QueryLatencyPeer {
  public static void main(String[] args) throws Exception {
    Path indexDir = Path.of(args[0]);
    String source = args[1];
    int passes = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    int k = args.length > 4 ? Integer.parseInt(args[4]) : 10;
    Ranking ranking = Ranking.defaults();
    Analyzer analyzer = new CodeAnalyzer();
    try (Quarry.SearchSession session =
            Quarry.search(indexDir).withModel(false).ranking(ranking).open();
        DirectoryReader reader = DirectoryReader.open(FSDirectory.open(indexDir))) {
      QuerySet queries =
          source.startsWith("beir:")
              ? QuerySet.fromBeir(Path.of(source.substring(5)), "test")
              : QuerySet.sampleTerms(session.index(), Integer.parseInt(source.substring(6)), 42);
      IndexSearcher plain = new IndexSearcher(reader);
      plain.setSimilarity(new BM25Similarity(ranking.k1(), ranking.b()));
      int n = queries.size();
      String[] names = {"quarry", "lucene-same-query", "lucene-bm25-text"};
      long[][] nanos = new long[3][n * passes];
      long sink = 0;
      for (int pass = -warmup; pass < passes; pass++) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          order.add(i);
        }
        Collections.shuffle(order, new Random(42 + pass));
        for (int i : order) {
          String q = queries.queries().get(i);
          long t0 = System.nanoTime();
          sink += session.searcher().search(SearchRequest.of(q, k, SearchMode.LEXICAL)).size();
          long t1 = System.nanoTime();
          Set<String> terms = terms(analyzer, q);
          sink +=
              terms.isEmpty() ? 0 : plain.search(quarryQuery(terms, ranking), k).scoreDocs.length;
          long t2 = System.nanoTime();
          Set<String> terms2 = terms(analyzer, q);
          if (!terms2.isEmpty()) {
            TopDocs top = plain.search(textQuery(terms2), k);
            StoredFields stored = plain.storedFields();
            for (ScoreDoc sd : top.scoreDocs) {
              sink +=
                  stored.document(sd.doc, Set.of(IndexSchema.PATH)).get(IndexSchema.PATH).length();
            }
          }
          long t3 = System.nanoTime();
          if (pass >= 0) {
            nanos[0][pass * n + i] = t1 - t0;
            nanos[1][pass * n + i] = t2 - t1;
            nanos[2][pass * n + i] = t3 - t2;
          }
        }
      }
      System.out.printf(
          "queries: %d (%s), %d passes after %d warm-up, top %d, one thread, %,d documents in the index (sink %d)%n",
          n, queries.source(), passes, warmup, k, reader.numDocs(), sink % 10);
      for (int w = 0; w < 3; w++) {
        LatencyStats s = LatencyStats.ofNanos(nanos[w]);
        System.out.printf(
            "%-18s p50 %7.3f  p95 %7.3f  p99 %7.3f  max %8.3f ms  %,8.0f q/s%n",
            names[w], s.p50Ms(), s.p95Ms(), s.p99Ms(), s.maxMs(), s.qps());
      }
    }
  }

  static Set<String> terms(Analyzer analyzer, String text) throws java.io.IOException {
    Set<String> terms = new LinkedHashSet<>();
    try (TokenStream stream = analyzer.tokenStream(IndexSchema.TEXT, text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        terms.add(term.toString());
      }
      stream.end();
    }
    return terms;
  }

  /** The query Searcher.lexical builds (at this commit): three fields per term, chunks only. */
  static Query quarryQuery(Set<String> terms, Ranking ranking) {
    BooleanQuery.Builder should = new BooleanQuery.Builder();
    for (String term : terms) {
      should.add(new TermQuery(new Term(IndexSchema.TEXT, term)), BooleanClause.Occur.SHOULD);
      should.add(
          new BoostQuery(
              new TermQuery(new Term(IndexSchema.CONTEXT, term)), ranking.contextBoost()),
          BooleanClause.Occur.SHOULD);
      should.add(
          new BoostQuery(new TermQuery(new Term(IndexSchema.PATH_TEXT, term)), ranking.pathBoost()),
          BooleanClause.Occur.SHOULD);
    }
    Query filter =
        new BooleanQuery.Builder()
            .add(
                new TermQuery(new Term(IndexSchema.TYPE, IndexSchema.TYPE_CHUNK)),
                BooleanClause.Occur.FILTER)
            .build();
    return new BooleanQuery.Builder()
        .add(should.build(), BooleanClause.Occur.MUST)
        .add(filter, BooleanClause.Occur.FILTER)
        .build();
  }

  static Query textQuery(Set<String> terms) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    for (String term : terms) {
      b.add(new TermQuery(new Term(IndexSchema.TEXT, term)), BooleanClause.Occur.SHOULD);
    }
    return b.build();
  }
}
