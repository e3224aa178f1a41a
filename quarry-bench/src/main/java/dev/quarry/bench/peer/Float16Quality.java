package dev.quarry.bench.peer;

import dev.quarry.cache.RedisTier;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.eval.BeirDataset;
import dev.quarry.eval.RetrievalMetrics;
import dev.quarry.index.IndexSchema;
import dev.quarry.index.QuarryIndex;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;

/**
 * The effect of the shared cache's float16 vectors on search quality: exact (brute-force) semantic
 * search over an evaluation index's chunk vectors, as stored (float32) and as they come back from
 * the Redis tier (float16), for every judged query of a BEIR split. Prints nDCG@10 of both and the
 * mean overlap of their top-10 documents. Exact search isolates the encoding from HNSW's noise.
 * Usage (bench/float16-quality.sh runs it): java ... dev.quarry.bench.peer.Float16Quality INDEX_DIR
 * BEIR_DIR
 */
public class Float16Quality {
  public static void main(String[] args) throws Exception {
    Path indexDir = Path.of(args[0]);
    BeirDataset dataset = new BeirDataset(Path.of(args[1]));
    List<float[]> exact = new ArrayList<>();
    List<float[]> half = new ArrayList<>();
    List<String> docIds = new ArrayList<>();
    try (QuarryIndex index = QuarryIndex.openForReading(indexDir)) {
      var searcher = index.acquireSearcher();
      for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
        FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
        if (values == null) {
          continue;
        }
        var live = leaf.reader().getLiveDocs();
        KnnVectorValues.DocIndexIterator it = values.iterator();
        for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
          if (live != null && !live.get(doc)) {
            continue;
          }
          float[] v = values.vectorValue(it.index()).clone();
          exact.add(v);
          half.add(RedisTier.decode(RedisTier.encode(v), v.length));
          docIds.add(documentId(leaf.reader().storedFields().document(doc).get(IndexSchema.PATH)));
        }
      }
      index.releaseSearcher(searcher);
    }
    Map<String, String> queries = dataset.queries();
    Map<String, Map<String, Integer>> qrels = dataset.qrels("test");
    double ndcgExact = 0, ndcgHalf = 0, overlap = 0;
    try (EmbeddingModel model =
        EmbeddingModels.load(EmbeddingModels.DEFAULT, Runtime.getRuntime().availableProcessors())) {
      for (var judged : qrels.entrySet()) {
        float[] q = model.embedQuery(queries.get(judged.getKey()));
        List<String> a = rank(q, exact, docIds);
        List<String> b = rank(q, half, docIds);
        ndcgExact += RetrievalMetrics.ndcgAt(10, a, judged.getValue());
        ndcgHalf += RetrievalMetrics.ndcgAt(10, b, judged.getValue());
        var top = new LinkedHashSet<>(a.subList(0, Math.min(10, a.size())));
        top.retainAll(b.subList(0, Math.min(10, b.size())));
        overlap += top.size() / 10.0;
      }
    }
    int n = qrels.size();
    System.out.printf("chunks %d, queries %d%n", exact.size(), n);
    System.out.printf(
        "nDCG@10 float32 %.4f, float16 %.4f, difference %+.4f; mean top-10 overlap %.4f%n",
        ndcgExact / n, ndcgHalf / n, (ndcgHalf - ndcgExact) / n, overlap / n);
  }

  /** Documents by their best chunk's dot product with the query, best first (top 100). */
  static List<String> rank(float[] q, List<float[]> vectors, List<String> docIds) {
    Integer[] order = new Integer[vectors.size()];
    double[] score = new double[vectors.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
      float[] v = vectors.get(i);
      double dot = 0;
      for (int d = 0; d < v.length; d++) {
        dot += q[d] * v[d];
      }
      score[i] = dot;
    }
    java.util.Arrays.sort(order, (x, y) -> Double.compare(score[y], score[x]));
    LinkedHashSet<String> docs = new LinkedHashSet<>();
    for (int i = 0; i < order.length && docs.size() < 100; i++) {
      docs.add(docIds.get(order[i]));
    }
    return new ArrayList<>(docs);
  }

  static String documentId(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    name = name.endsWith(".md") ? name.substring(0, name.length() - 3) : name;
    return URLDecoder.decode(name.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
