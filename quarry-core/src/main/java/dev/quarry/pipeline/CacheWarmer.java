package dev.quarry.pipeline;

import dev.quarry.cache.ModelKey;
import dev.quarry.cache.TieredVectorCache;
import dev.quarry.index.IndexMetadata;
import dev.quarry.index.IndexSchema;
import dev.quarry.index.QuarryIndex;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.Bits;

/**
 * Fills the embedding cache from an index's vectors ({@code quarry cache warm}): an index built on
 * another machine, or before the cache existed, then serves every other index of the same tree.
 */
public final class CacheWarmer {
  private static final int BATCH = 1000;

  private CacheWarmer() {}

  /** Stores every vector of the index's last commit in {@code cache}; returns how many. */
  public static long warm(QuarryIndex index, TieredVectorCache cache) throws IOException {
    String modelId = index.commitData().get(IndexMetadata.MODEL);
    if (modelId == null) {
      return 0; // a lexical-only index has no vectors to give
    }
    IndexSearcher searcher = index.acquireSearcher();
    long stored = 0;
    try {
      ModelKey model = null;
      Map<String, float[]> batch = new HashMap<>();
      for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
        FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
        if (values == null) {
          continue;
        }
        if (model == null) {
          model = ModelKey.ofId(modelId, values.dimension());
        }
        StoredFields fields = leaf.reader().storedFields();
        Bits live = leaf.reader().getLiveDocs();
        KnnVectorValues.DocIndexIterator it = values.iterator();
        for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
          if (live != null && !live.get(doc)) {
            continue;
          }
          batch.put(fields.document(doc).get(IndexSchema.CHUNK_HASH), values.vectorValue(it.index()).clone());
          if (batch.size() >= BATCH) {
            cache.putAll(model, batch);
            stored += batch.size();
            batch.clear();
          }
        }
      }
      if (model != null) {
        cache.putAll(model, batch);
        stored += batch.size();
      }
      return stored;
    } finally {
      index.releaseSearcher(searcher);
    }
  }
}
