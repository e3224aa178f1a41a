package dev.quarry.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.embed.ModelIdentity;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared tier against a real redis-server on loopback. */
class RedisTierTest {
  @TempDir Path dir;
  static final ModelKey MODEL = ModelKey.of(new ModelIdentity("m", "1", 384, 128, "mean", true));
  static final ModelKey OTHER = ModelKey.of(new ModelIdentity("m", "2", 384, 128, "mean", true));

  static float[] unitVector(Random random) {
    float[] v = new float[384];
    double norm = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) random.nextGaussian();
      norm += v[i] * v[i];
    }
    for (int i = 0; i < v.length; i++) {
      v[i] /= (float) Math.sqrt(norm);
    }
    return v;
  }

  @Test
  void roundTripsCompactlyWithAnExpiryAndKeysByModel() throws Exception {
    try (RedisServer server = RedisServer.start(dir);
        RedisTier redis =
            RedisTier.connect(server.uri(), Duration.ofDays(30), Duration.ofSeconds(1))) {
      Random random = new Random(1);
      float[] a = unitVector(random);
      float[] b = unitVector(random);
      redis.putAll(MODEL, Map.of("a", a, "b", b));
      Map<String, float[]> found = redis.getAll(MODEL, List.of("a", "b", "missing"));
      assertThat(found.keySet()).containsExactlyInAnyOrder("a", "b");
      // float16: 768 bytes a vector instead of 1536 (plus a format byte and a 4-byte checksum); the
      // cosine with the original stays > 0.99999.
      assertThat(RedisTier.encode(a)).hasSize(2 * 384);
      assertThat(cosine(a, found.get("a"))).isGreaterThan(0.99999);
      assertThat(redis.getAll(OTHER, List.of("a"))).isEmpty();
      assertThat(redis.keys(MODEL)).hasSize(2);
    }
  }

  @Test
  void aServerThatGoesDownFailsCallsQuicklyAndTheTieredCacheGoesOnWithoutIt() throws Exception {
    RedisServer server = RedisServer.start(dir);
    List<String> warnings = new ArrayList<>();
    RedisTier redis = RedisTier.connect(server.uri(), Duration.ofDays(30), Duration.ofMillis(500));
    try (TieredVectorCache cache =
        new TieredVectorCache(List.of(new MemoryTier(1 << 20), redis), warnings::add)) {
      cache.putAll(MODEL, Map.of("a", unitVector(new Random(2))));
      server.close();
      long start = System.nanoTime();
      assertThat(cache.getAll(MODEL, List.of("a", "b")))
          .containsOnlyKeys("a"); // memory still answers
      assertThat(cache.getAll(MODEL, List.of("c"))).isEmpty();
      cache.putAll(MODEL, Map.of("c", unitVector(new Random(3))));
      assertThat((System.nanoTime() - start) / 1e9).isLessThan(5);
      assertThat(warnings).singleElement().asString().contains("'redis' failed");
      assertThat(cache.stats().get(1).failures()).isEqualTo(1);
    }
  }

  @Test
  void aSlowServerFailsTheCallAtTheTimeoutInsteadOfHoldingTheRun() throws Exception {
    try (RedisServer server = RedisServer.start(dir);
        RedisTier redis =
            RedisTier.connect(server.uri(), Duration.ofDays(30), Duration.ofMillis(300))) {
      redis.putAll(MODEL, Map.of("a", unitVector(new Random(4))));
      // The server stalls (a long command, an overloaded box): frozen before the call, so the call
      // meets the stall whatever the timing; it must not wait it out.
      server.pause();
      try {
        long start = System.nanoTime();
        assertThatThrownBy(() -> redis.getAll(MODEL, List.of("a")))
            .isInstanceOf(CacheTierException.class);
        assertThat((System.nanoTime() - start) / 1e6).isLessThan(1500);
      } finally {
        server.resume();
      }
    }
  }

  @Test
  void anUnreachableServerIsAClearErrorNamingItWithoutThePassword() {
    URI nowhere = URI.create("redis://:secret@127.0.0.1:1");
    assertThatThrownBy(() -> RedisTier.connect(nowhere, Duration.ofDays(1), Duration.ofMillis(300)))
        .isInstanceOf(CacheTierException.class)
        .hasMessageContaining("127.0.0.1:1")
        .hasMessageNotContaining("secret");
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0, na = 0, nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
