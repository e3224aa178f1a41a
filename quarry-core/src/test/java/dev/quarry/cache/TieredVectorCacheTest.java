package dev.quarry.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.embed.ModelIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiers together: lookups fall through and promote, writes reach all, a failing tier is
 * skipped.
 */
class TieredVectorCacheTest {
  @TempDir Path dir;
  static final ModelKey MODEL = ModelKey.of(new ModelIdentity("m", "1", 3, 64, "mean", true));
  static final ModelKey OTHER = ModelKey.of(new ModelIdentity("m", "2", 3, 64, "mean", true));

  static Map<String, float[]> vectors(int count) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      out.put("hash" + i, new float[] {i, i + 0.5f, -i});
    }
    return out;
  }

  @Test
  void diskTierSurvivesTheProcessAndKeysByModel() {
    Path file = dir.resolve("embeddings.db");
    try (DiskTier disk = DiskTier.open(file, DiskTier.DEFAULT_MAX_BYTES)) {
      disk.putAll(MODEL, vectors(3));
    }
    try (DiskTier disk = DiskTier.open(file, DiskTier.DEFAULT_MAX_BYTES)) {
      Map<String, float[]> found = disk.getAll(MODEL, List.of("hash0", "hash2", "absent"));
      assertThat(found.keySet()).containsExactlyInAnyOrder("hash0", "hash2");
      assertThat(found.get("hash2")).containsExactly(2f, 2.5f, -2f);
      // Another model identity (here: another version) never sees these vectors.
      assertThat(disk.getAll(OTHER, List.of("hash0"))).isEmpty();
      assertThat(disk.entriesByModel()).containsEntry(MODEL.modelId(), 3L);
    }
  }

  @Test
  void diskTierStaysUnderItsSizeDroppingTheLeastRecentlyUsed() {
    try (DiskTier disk = DiskTier.open(dir.resolve("small.db"), 64 * 1024)) {
      for (int round = 0; round < 20; round++) {
        Map<String, float[]> batch = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
          batch.put("r" + round + "-" + i, new float[] {round, i, 1});
        }
        disk.putAll(MODEL, batch);
      }
      assertThat(disk.bytesUsed()).isLessThanOrEqualTo(64 * 1024);
      assertThat(disk.getAll(MODEL, List.of("r19-99"))).hasSize(1); // the newest stay
    }
  }

  @Test
  void lookupsFallThroughAndPromoteAndWritesReachEveryTier() {
    MemoryTier memory = new MemoryTier(1 << 20);
    DiskTier disk = DiskTier.open(dir.resolve("embeddings.db"), DiskTier.DEFAULT_MAX_BYTES);
    disk.putAll(MODEL, vectors(2));
    try (TieredVectorCache cache = new TieredVectorCache(List.of(memory, disk), w -> {})) {
      assertThat(cache.getAll(MODEL, List.of("hash0", "hash1", "hash9")).keySet())
          .containsExactlyInAnyOrder("hash0", "hash1");
      assertThat(memory.getAll(MODEL, List.of("hash0", "hash1"))).hasSize(2); // promoted
      cache.putAll(MODEL, Map.of("new", new float[] {1, 2, 3}));
      assertThat(disk.getAll(MODEL, List.of("new"))).hasSize(1);
      TierStats.Snapshot mem = cache.stats().get(0);
      TierStats.Snapshot dsk = cache.stats().get(1);
      assertThat(mem.lookups()).isEqualTo(3);
      assertThat(mem.hits()).isZero();
      assertThat(dsk.lookups()).isEqualTo(3);
      assertThat(dsk.hits()).isEqualTo(2);
      assertThat(dsk.writes()).isEqualTo(1);
    }
  }

  /** A tier whose store is down. */
  static final class DownTier implements CacheTier {
    int calls;

    @Override
    public String name() {
      return "server";
    }

    @Override
    public Map<String, float[]> getAll(ModelKey model, Collection<String> chunkHashes) {
      calls++;
      throw new CacheTierException("connection refused", null);
    }

    @Override
    public void putAll(ModelKey model, Map<String, float[]> vectors) {
      calls++;
      throw new CacheTierException("connection refused", null);
    }

    @Override
    public void close() {}
  }

  @Test
  void aFailingTierIsReportedOnceAndSkippedNeverFailingTheCaller() {
    DownTier down = new DownTier();
    List<String> warnings = new ArrayList<>();
    try (TieredVectorCache cache =
        new TieredVectorCache(List.of(new MemoryTier(1 << 20), down), warnings::add)) {
      for (int i = 0; i < 5; i++) {
        assertThat(cache.getAll(MODEL, Set.of("x" + i))).isEmpty();
        cache.putAll(MODEL, Map.of("x" + i, new float[] {1, 2, 3}));
      }
      assertThat(cache.getAll(MODEL, Set.of("x3"))).hasSize(1); // memory still works
    }
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).contains("'server' failed").contains("connection refused");
    assertThat(down.calls).isEqualTo(1);
  }

  @Test
  void anUnopenableDiskCacheLeavesMemoryOnlyWithAWarning() throws Exception {
    Path notADirectory = dir.resolve("file");
    Files.writeString(notADirectory, "x");
    List<String> warnings = new ArrayList<>();
    CacheSettings settings =
        new CacheSettings(
            java.util.Optional.of(notADirectory.resolve("embeddings.db")),
            DiskTier.DEFAULT_MAX_BYTES,
            1 << 20,
            java.util.Optional.empty(),
            RedisTier.DEFAULT_TTL);
    try (TieredVectorCache cache = settings.open(warnings::add)) {
      assertThat(cache.stats()).extracting(TierStats.Snapshot::tier).containsExactly("memory");
    }
    assertThat(warnings).singleElement().asString().contains("going on without the disk cache");
  }
}
