package dev.quarry.pipeline;

import dev.quarry.cache.ModelKey;
import dev.quarry.cache.TieredVectorCache;
import dev.quarry.chunk.Chunk;
import dev.quarry.store.IndexStore;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Vectors already computed, by chunk hash: in the embedding cache (this run's memory, the disk, a
 * shared server; see dev.quarry.cache), else in the store's last commit (a renamed, copied or
 * partly edited file), which then goes into the cache too, so deleting the index does not lose it.
 * Thread-safe.
 */
final class VectorLookup {
  private final TieredVectorCache cache;
  private final ModelKey model;
  private final IndexStore store;

  VectorLookup(TieredVectorCache cache, ModelKey model, IndexStore store) {
    this.cache = cache;
    this.model = model;
    this.store = store;
  }

  /** The vectors known for these chunks, from the cache or the store. */
  Map<String, float[]> known(List<Chunk> chunks) throws IOException {
    Set<String> hashes = new LinkedHashSet<>();
    chunks.forEach(c -> hashes.add(c.hash()));
    Map<String, float[]> known = new HashMap<>(cache.getAll(model, hashes));
    Set<String> missing = new LinkedHashSet<>(hashes);
    missing.removeAll(known.keySet());
    Map<String, float[]> fromStore = missing.isEmpty() ? Map.of() : store.storedVectors(missing);
    cache.putAll(model, fromStore);
    known.putAll(fromStore);
    return known;
  }

  /** The vectors the cache holds for these hashes. */
  Map<String, float[]> cached(Collection<String> hashes) {
    return cache.getAll(model, hashes);
  }

  /** Keeps vectors the model computed, for this run and later ones. */
  void remember(Map<String, float[]> computed) {
    cache.putAll(model, computed);
  }
}
