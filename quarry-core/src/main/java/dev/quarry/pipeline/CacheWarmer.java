package dev.quarry.pipeline;

import dev.quarry.cache.ModelKey;
import dev.quarry.cache.TieredVectorCache;
import dev.quarry.store.IndexMetadata;
import dev.quarry.store.SearchableStore;
import dev.quarry.store.StoreView;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Fills the embedding cache from an index's vectors ({@code quarry cache warm}): an index built on
 * another machine, or before the cache existed, then serves every other index of the same tree.
 */
public final class CacheWarmer {
  private static final int BATCH = 1000;

  private CacheWarmer() {}

  /** Stores every vector of the store's last commit in {@code cache}; returns how many. */
  public static long warm(SearchableStore store, TieredVectorCache cache) throws IOException {
    try (StoreView view = store.view()) {
      String modelId = view.commitData().get(IndexMetadata.MODEL);
      if (modelId == null) {
        return 0; // a lexical-only index has no vectors to give
      }
      Batches batches = new Batches(modelId, cache);
      view.forEachVector(batches);
      batches.flush();
      return batches.stored;
    }
  }

  /**
   * Passes vectors on to the cache a batch at a time (one round trip per batch to a shared tier).
   */
  private static final class Batches implements StoreView.VectorSink {
    private final String modelId;
    private final TieredVectorCache cache;
    private final Map<String, float[]> batch = new HashMap<>();
    private ModelKey model; // known from the first vector's dimensions
    private long stored;

    Batches(String modelId, TieredVectorCache cache) {
      this.modelId = modelId;
      this.cache = cache;
    }

    @Override
    public void accept(String chunkHash, float[] vector) {
      if (model == null) {
        model = ModelKey.ofId(modelId, vector.length);
      }
      batch.put(chunkHash, vector);
      if (batch.size() >= BATCH) {
        flush();
      }
    }

    void flush() {
      if (model != null && !batch.isEmpty()) {
        cache.putAll(model, batch);
        stored += batch.size();
        batch.clear();
      }
    }
  }
}
