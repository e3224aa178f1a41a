package dev.quarry;

import dev.quarry.cache.CacheSettings;
import dev.quarry.cache.DiskTier;
import dev.quarry.cache.TieredVectorCache;
import dev.quarry.index.QuarryIndex;
import dev.quarry.pipeline.CacheWarmer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The embedding cache of a configuration, to inspect and maintain ({@code quarry cache}): the disk
 * tier's size and contents, pruning it, and warming it from an index's vectors. Obtained from
 * {@link Quarry#cache(CacheSettings)}.
 */
public final class EmbeddingCache {
  private final CacheSettings settings;

  EmbeddingCache(CacheSettings settings) {
    this.settings = settings;
  }

  /**
   * The disk tier's state.
   *
   * @param file the disk cache's file
   * @param exists false until a run has created it
   * @param bytesUsed null when it does not exist
   * @param entriesByModel vectors per model identity; null when it does not exist
   */
  public record DiskStats(
      Path file, boolean exists, long maxBytes, Long bytesUsed, Map<String, Long> entriesByModel) {}

  /** What a prune did. */
  public record Pruned(long removed, long bytesUsed) {}

  /** The disk tier's size and contents; it must be on. */
  public DiskStats diskStats() {
    Path file = requireDisk();
    if (!Files.exists(file)) {
      return new DiskStats(file, false, settings.diskMaxBytes(), null, null);
    }
    try (DiskTier disk = DiskTier.open(file, settings.diskMaxBytes())) {
      return new DiskStats(
          file, true, settings.diskMaxBytes(), disk.bytesUsed(), disk.entriesByModel());
    }
  }

  /**
   * Drops vectors not used for {@code unusedFor} (null: keep them), then the least recently used
   * down to {@code maxBytes} (null: no size bound). An absent disk cache has nothing to prune.
   */
  public Pruned prune(Long maxBytes, Duration unusedFor) {
    Path file = requireDisk();
    if (!Files.exists(file)) {
      return new Pruned(0, 0);
    }
    try (DiskTier disk = DiskTier.open(file, settings.diskMaxBytes())) {
      long removed = 0;
      if (unusedFor != null) {
        removed += disk.pruneUnusedFor(Math.max(1, unusedFor.toHours()));
      }
      if (maxBytes != null) {
        removed += disk.evictIfOver(maxBytes);
      }
      return new Pruned(removed, disk.bytesUsed());
    }
  }

  /** Stores every vector of the index in {@code indexDir} in the cache; returns how many. */
  public long warm(Path indexDir, Consumer<String> warnings) throws IOException {
    requireDisk();
    try (QuarryIndex index = QuarryIndex.openForReading(indexDir);
        TieredVectorCache cache = settings.open(warnings)) {
      return CacheWarmer.warm(index, cache);
    }
  }

  private Path requireDisk() {
    return settings
        .diskFile()
        .orElseThrow(() -> new IllegalStateException("the disk cache is off (cache-dir=off)"));
  }
}
