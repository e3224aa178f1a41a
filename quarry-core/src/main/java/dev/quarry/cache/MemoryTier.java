package dev.quarry.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** L1: vectors in memory (Caffeine), bounded by their bytes, least recently used out first. */
public final class MemoryTier implements CacheTier {
  /** Default bound: ~40k vectors of 384 dimensions. */
  public static final long DEFAULT_MAX_BYTES = 64L << 20;

  private final Cache<String, float[]> vectors;

  public MemoryTier(long maxBytes) {
    this.vectors =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher((String key, float[] vector) -> 64 + 2 * key.length() + 4 * vector.length)
            .build();
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public Map<String, float[]> getAll(ModelKey model, Collection<String> chunkHashes) {
    Map<String, float[]> found = new HashMap<>();
    for (String hash : chunkHashes) {
      float[] vector = vectors.getIfPresent(key(model, hash));
      if (vector != null) {
        found.put(hash, vector);
      }
    }
    return found;
  }

  @Override
  public void putAll(ModelKey model, Map<String, float[]> toStore) {
    toStore.forEach((hash, vector) -> vectors.put(key(model, hash), vector));
  }

  private static String key(ModelKey model, String hash) {
    return model.fingerprint() + hash;
  }

  @Override
  public void close() {
    vectors.invalidateAll();
  }
}
