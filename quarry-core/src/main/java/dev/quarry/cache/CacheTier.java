package dev.quarry.cache;

import java.util.Collection;
import java.util.Map;

/**
 * One level of the embedding cache. Keys are chunk content hashes under a {@link ModelKey}.
 * Implementations are thread-safe and bounded. A tier whose backing store fails throws {@link
 * CacheTierException}; {@link TieredVectorCache} then treats it as a miss and goes on.
 */
interface CacheTier extends AutoCloseable {

  /** "memory", "disk", "redis": how reports name it. */
  String name();

  /** The vectors this tier holds for {@code chunkHashes}; a hash it lacks is simply absent. */
  Map<String, float[]> getAll(ModelKey model, Collection<String> chunkHashes);

  /** Stores {@code vectors} (by chunk hash), each of {@code model.dimensions()} floats. */
  void putAll(ModelKey model, Map<String, float[]> vectors);

  /** Entries found that failed their integrity checks and were not served (a shared tier). */
  default long rejected() {
    return 0;
  }

  @Override
  void close();
}
