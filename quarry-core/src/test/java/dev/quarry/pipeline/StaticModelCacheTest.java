package dev.quarry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.cache.CacheSettings;
import dev.quarry.cache.DiskTier;
import dev.quarry.cache.MemoryTier;
import dev.quarry.cache.RedisTier;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.embed.StaticModelFixture;
import dev.quarry.scan.ScanOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model cheaper than a cache (minilm-static) skips the vector cache: its runs write no disk cache
 * and still embed every chunk; a model worth caching writes one.
 */
class StaticModelCacheTest {
  @TempDir Path tree;
  @TempDir Path indexDir;
  @TempDir Path cacheDir;

  @Test
  void aStaticModelsRunEmbedsEverythingWithoutTouchingTheDiskCache() throws Exception {
    for (int i = 0; i < 5; i++) {
      Files.writeString(tree.resolve("note" + i + ".txt"), "the protein of cell " + i + "\n");
    }
    Path cacheFile = cacheDir.resolve(CacheSettings.FILE_NAME);
    CacheSettings cache =
        new CacheSettings(
            Optional.of(cacheFile),
            DiskTier.DEFAULT_MAX_BYTES,
            MemoryTier.DEFAULT_MAX_BYTES,
            Optional.empty(),
            RedisTier.DEFAULT_TTL);
    IndexOptions options =
        IndexOptions.of(
                List.of(tree), indexDir, ScanOptions.defaults(), true, EmbeddingModels.STATIC)
            .withThreads(1)
            .withCache(cache);
    try (ModelPool pool = new ModelPool()) {
      pool.hold(EmbeddingModels.STATIC, 1, StaticModelFixture.model());
      RunSummary summary = RunAssembler.of(options).sharing(pool).index();
      assertThat(summary.chunksEmbedded()).isEqualTo(5);
    }
    assertThat(cacheFile).doesNotExist();
  }
}
