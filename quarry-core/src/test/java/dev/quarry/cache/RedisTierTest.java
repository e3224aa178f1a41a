package dev.quarry.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.embed.ModelIdentity;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

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

  // Issue 11, item 7: with a team key, only its holders write entries that are served, and the
  // Redis keys reveal neither model nor chunk.
  @Tag("hostile")
  @Test
  void withATeamKeyOnlyEntriesSignedWithItAreServed() throws Exception {
    RedisSecrets team = secrets(TeamKey.of("team key: correct horse battery staple"));
    RedisSecrets other = secrets(TeamKey.of("someone else's key, just as long"));
    try (RedisServer server = RedisServer.start(dir);
        RedisTier ours = RedisTier.connect(server.uri(), Duration.ofDays(1), SECOND, team);
        RedisTier theirs = RedisTier.connect(server.uri(), Duration.ofDays(1), SECOND, other);
        RedisTier keyless = RedisTier.connect(server.uri(), Duration.ofDays(1), SECOND);
        RedisClient attacker = RedisClient.create(server.uri())) {
      float[] vector = unitVector(new Random(7));
      ours.putAll(MODEL, Map.of("chunk-hash-1", vector));
      assertThat(cosine(vector, ours.getAll(MODEL, List.of("chunk-hash-1")).get("chunk-hash-1")))
          .isGreaterThan(0.99999);
      assertThat(ours.keys(MODEL))
          .singleElement()
          .asString()
          .startsWith("quarry:v2s:")
          .doesNotContain("chunk-hash-1")
          .doesNotContain(MODEL.fingerprint());
      assertThat(theirs.getAll(MODEL, List.of("chunk-hash-1"))).isEmpty();
      assertThat(keyless.getAll(MODEL, List.of("chunk-hash-1"))).isEmpty();

      // Someone with write access (and their own key, or none) overwrites our entry with a
      // well-formed one of their own: not served.
      float[] poison = unitVector(new Random(8));
      byte[] ourKey = ours.keyOf(MODEL, "chunk-hash-1").getBytes(StandardCharsets.UTF_8);
      for (RedisTier forger : List.of(theirs, keyless)) {
        forger.putAll(MODEL, Map.of("chunk-hash-1", poison));
        attacker.set(
            ourKey,
            attacker.get(forger.keyOf(MODEL, "chunk-hash-1").getBytes(StandardCharsets.UTF_8)));
        assertThat(ours.getAll(MODEL, List.of("chunk-hash-1"))).isEmpty();
      }
      assertThat(ours.rejected()).isEqualTo(2);
    }
  }

  // Issue 11, item 7: entries an earlier Quarry wrote (format 1, keys quarry:v1:) simply miss.
  @Tag("hostile")
  @Test
  void entriesOfTheEarlierFormatMiss() throws Exception {
    try (RedisServer server = RedisServer.start(dir);
        RedisTier redis = RedisTier.connect(server.uri(), Duration.ofDays(1), SECOND);
        RedisClient older = RedisClient.create(server.uri())) {
      byte[] v1 = new byte[1 + 2 * 384];
      v1[0] = 1;
      System.arraycopy(RedisTier.encode(unitVector(new Random(9))), 0, v1, 1, 2 * 384);
      older.set(("quarry:v1:" + MODEL.fingerprint() + ":h").getBytes(StandardCharsets.UTF_8), v1);
      assertThat(redis.getAll(MODEL, List.of("h"))).isEmpty();
    }
  }

  // Issue 11, item 7: Redis AUTH, the password in the URI or the environment; a wrong one is
  // reported once (without the password) and the run goes on with the local tiers.
  @Tag("hostile")
  @Test
  void aServerRequiringAPasswordIsUsedWithTheRightOneAndSkippedWithAWrongOne() throws Exception {
    try (RedisServer server = RedisServer.startWithPassword(dir, "s3cret-pw")) {
      for (RedisTier redis :
          List.of(
              RedisTier.connect(server.uri(":s3cret-pw"), Duration.ofDays(1), SECOND),
              RedisTier.connect(server.uri("default:s3cret-pw"), Duration.ofDays(1), SECOND),
              RedisTier.connect(
                  server.uri(),
                  Duration.ofDays(1),
                  SECOND,
                  RedisSecrets.of(
                      Map.of(RedisSecrets.PASSWORD_VARIABLE, "s3cret-pw"), Optional.empty())))) {
        try (redis) {
          redis.putAll(MODEL, Map.of("a", unitVector(new Random(10))));
          assertThat(redis.getAll(MODEL, List.of("a"))).containsOnlyKeys("a");
        }
      }
      assertThatThrownBy(() -> RedisTier.connect(server.uri(), Duration.ofDays(1), SECOND))
          .isInstanceOf(CacheTierException.class)
          .hasMessageContaining("127.0.0.1:" + server.port())
          .hasMessageContaining("NOAUTH");

      List<String> warnings = new ArrayList<>();
      CacheSettings settings =
          new CacheSettings(
              Optional.empty(),
              DiskTier.DEFAULT_MAX_BYTES,
              MemoryTier.DEFAULT_MAX_BYTES,
              Optional.of(server.uri(":wrong-pw")),
              Duration.ofDays(1));
      try (TieredVectorCache cache = settings.open(warnings::add)) {
        cache.putAll(MODEL, Map.of("a", unitVector(new Random(11))));
        assertThat(cache.getAll(MODEL, List.of("a"))).containsOnlyKeys("a");
        assertThat(cache.stats()).extracting(TierStats.Snapshot::tier).containsExactly("memory");
      }
      assertThat(warnings)
          .singleElement()
          .asString()
          .contains("going on without the shared cache")
          .containsIgnoringCase("password")
          .doesNotContain("wrong-pw");
    }
  }

  // Issue 11, item 7: rediss:// speaks TLS and verifies the server: its certificate must be
  // trusted and name the host; a plain server, or a TLS one reached as plain, fails clearly.
  @Tag("hostile")
  @Test
  void redissSpeaksTlsToAVerifiedServerOnly() throws Exception {
    try (RedisServer tls = RedisServer.startWithTls(Files.createDirectories(dir.resolve("tls")));
        RedisServer plain = RedisServer.start(dir)) {
      try (RedisTier redis =
          RedisTier.connect(
              tls.uri(), Duration.ofDays(1), SECOND, RedisSecrets.none(), tls.trust())) {
        redis.putAll(MODEL, Map.of("a", unitVector(new Random(12))));
        assertThat(redis.getAll(MODEL, List.of("a"))).containsOnlyKeys("a");
      }
      // The certificate names 127.0.0.1, not localhost.
      URI byName = URI.create("rediss://localhost:" + tls.port());
      assertThatThrownBy(
              () ->
                  RedisTier.connect(
                      byName, Duration.ofDays(1), SECOND, RedisSecrets.none(), tls.trust()))
          .isInstanceOf(CacheTierException.class)
          .hasMessageContaining("localhost:" + tls.port());
      // Not in the JVM's trusted certificates.
      assertThatThrownBy(() -> RedisTier.connect(tls.uri(), Duration.ofDays(1), SECOND))
          .isInstanceOf(CacheTierException.class);
      URI plainAsTls = URI.create("rediss://127.0.0.1:" + plain.port());
      assertThatThrownBy(() -> RedisTier.connect(plainAsTls, Duration.ofDays(1), SECOND))
          .isInstanceOf(CacheTierException.class)
          .hasMessageContaining("127.0.0.1:" + plain.port());
      URI tlsAsPlain = URI.create("redis://127.0.0.1:" + tls.port());
      assertThatThrownBy(() -> RedisTier.connect(tlsAsPlain, Duration.ofDays(1), SECOND))
          .isInstanceOf(CacheTierException.class);
    }
  }

  private static final Duration SECOND = Duration.ofSeconds(1);

  private static RedisSecrets secrets(TeamKey key) {
    return new RedisSecrets(Optional.empty(), Optional.of(key));
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
