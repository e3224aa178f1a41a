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
import org.junit.jupiter.api.Tag;
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

  // Issue 11, item 7: a team signing its entries shares them as before; a machine without the
  // key neither reads nor rejects them (other Redis keys), and embeds for itself.
  @Tag("hostile")
  @Test
  void machinesWithTheTeamKeyShareSignedVectorsAndOthersDoNot() throws Exception {
    Path tree = Files.createDirectories(work.resolve("tree"));
    for (int i = 0; i < 6; i++) {
      Files.writeString(
          tree.resolve("doc" + i + ".md"), "# Doc " + i + "\n\nTides and moons, part " + i + ".\n");
    }
    RedisSecrets team =
        new RedisSecrets(
            Optional.empty(), Optional.of(TeamKey.of("the team's key, 32 bytes or so")));
    try (RedisServer redis = RedisServer.start(Files.createDirectories(work.resolve("redis")))) {
      assertThat(index(tree, work.resolve("a"), redis, team).chunksEmbedded()).isPositive();
      RunSummary teammate = index(tree, work.resolve("b"), redis, team);
      assertThat(teammate.chunksEmbedded()).isZero();
      RunSummary outsider = index(tree, work.resolve("c"), redis, RedisSecrets.none());
      assertThat(outsider.chunksEmbedded()).isPositive();
      TierStats.Snapshot shared =
          outsider.cache().stream().filter(t -> t.tier().equals("redis")).findFirst().orElseThrow();
      assertThat(shared.hits()).isZero();
      assertThat(shared.rejected()).isZero();
    }
  }

  private static RunSummary index(Path tree, Path machine, RedisServer redis) throws Exception {
    return index(tree, machine, redis, RedisSecrets.none());
  }

  /** One "machine": its own index and disk cache, the shared Redis. */
  private static RunSummary index(Path tree, Path machine, RedisServer redis, RedisSecrets secrets)
      throws Exception {
    CacheSettings cache =
        new CacheSettings(
            Optional.of(machine.resolve("cache/embeddings.db")),
            DiskTier.DEFAULT_MAX_BYTES,
            MemoryTier.DEFAULT_MAX_BYTES,
            Optional.of(redis.uri()),
            RedisTier.DEFAULT_TTL,
            secrets);
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
