package dev.quarry.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.Quarry;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.pipeline.RunSummary;
import dev.quarry.scan.ScanOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two machines sharing a Redis: the second, with empty memory and disk caches, indexes the same
 * tree without embedding anything (the real pipeline, the real model, a real redis-server).
 */
class SharedCacheTest {
  @TempDir Path work;

  @Test
  void aSecondMachineGetsEveryVectorFromTheSharedTier() throws Exception {
    Path tree = work.resolve("tree");
    Files.createDirectories(tree);
    for (int i = 0; i < 12; i++) {
      Files.writeString(
          tree.resolve("note" + i + ".md"),
          "# Note "
              + i
              + "\n\nComets, orbits and launch windows, part "
              + i
              + ".\n\n## Details\n\nThe "
              + i
              + "th rocket carries fuel for "
              + (i * 7)
              + " days.\n");
    }
    try (RedisServer redis = RedisServer.start(Files.createDirectories(work.resolve("redis")))) {
      RunSummary first = index(tree, work.resolve("machine-a"), redis);
      assertThat(first.chunksEmbedded()).isPositive();

      RunSummary second = index(tree, work.resolve("machine-b"), redis);
      assertThat(second.chunksEmbedded()).isZero();
      TierStats.Snapshot shared =
          second.cache().stream().filter(t -> t.tier().equals("redis")).findFirst().orElseThrow();
      assertThat(shared.hitRate()).isEqualTo(1.0);
      assertThat(
              second.cache().stream()
                  .filter(t -> t.tier().equals("disk"))
                  .findFirst()
                  .orElseThrow()
                  .hits())
          .isZero();
    }
  }

  /** One "machine": its own index and disk cache, the shared Redis. */
  private static RunSummary index(Path tree, Path machine, RedisServer redis) throws Exception {
    CacheSettings cache =
        new CacheSettings(
            Optional.of(machine.resolve("cache/embeddings.db")),
            DiskTier.DEFAULT_MAX_BYTES,
            MemoryTier.DEFAULT_MAX_BYTES,
            Optional.of(redis.uri()),
            RedisTier.DEFAULT_TTL);
    IndexOptions options =
        IndexOptions.of(
                List.of(tree.toRealPath()),
                machine.resolve("index"),
                ScanOptions.defaults(),
                true,
                EmbeddingModels.DEFAULT)
            .withThreads(2)
            .withCache(cache);
    return Quarry.run(options).index();
  }
}
