package dev.quarry.cache;

import static dev.quarry.cache.RedisTierTest.MODEL;
import static dev.quarry.cache.RedisTierTest.unitVector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.RedisClient;

/**
 * The shared tier facing a Redis that is broken or in hostile hands: a peer sending replies no
 * Redis would (a hostile loopback server), and a real redis-server whose entries someone else
 * overwrote.
 */
class RedisTierHostileTest {
  @TempDir Path dir;

  // Issue 11, item 6: a reply announcing a huge array or value, or nesting without end, must fail
  // the tier (reported once), not the process (OutOfMemoryError, StackOverflowError).
  @Tag("hostile")
  @ParameterizedTest
  @MethodSource("hostileReplies")
  void aServerSendingAHugeOrMalformedReplyIsReportedOnceAndTheRunGoesOn(String reply)
      throws Exception {
    try (HostileRedisServer hostile = HostileRedisServer.answeringMget(reply)) {
      List<String> warnings = new ArrayList<>();
      // A generous timeout: a reply that is not refused as it arrives would wait it out.
      RedisTier redis =
          RedisTier.connect(hostile.uri(), Duration.ofDays(1), Duration.ofSeconds(10));
      try (TieredVectorCache cache =
          new TieredVectorCache(List.of(new MemoryTier(1 << 20), redis), warnings::add)) {
        cache.putAll(MODEL, Map.of("a", unitVector(new Random(1))));
        long start = System.nanoTime();
        assertThat(cache.getAll(MODEL, List.of("a", "b"))).containsOnlyKeys("a");
        assertThat(cache.getAll(MODEL, List.of("c"))).isEmpty();
        cache.putAll(MODEL, Map.of("c", unitVector(new Random(2))));
        assertThat(cache.getAll(MODEL, List.of("c"))).containsOnlyKeys("c");
        // Failed at once, not at the timeout: the reply is refused as it arrives.
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(5);
        assertThat(warnings)
            .singleElement()
            .asString()
            .contains("'redis' failed")
            .containsAnyOf("the server sent", "answered an MGET of 1 key with 3 values")
            .doesNotContain("Exception");
        assertThat(cache.stats().get(1).failures()).isEqualTo(1);
      }
    }
  }

  // Issue 11, item 6 (found by bench/hostile-probe.sh): a server answering HELLO with +OK made the
  // warning read "class [B cannot be cast to class java.util.List".
  @Tag("hostile")
  @Test
  void aServerThatDoesNotSpeakRedisIsReportedInWordsNotAsAClassCast() throws Exception {
    try (HostileRedisServer hostile = HostileRedisServer.answeringHello("+OK\r\n")) {
      // Refused when the tier opens; the run reports it once and goes on with the local tiers.
      assertThatThrownBy(
              () -> RedisTier.connect(hostile.uri(), Duration.ofDays(1), Duration.ofSeconds(10)))
          .isInstanceOf(CacheTierException.class)
          .hasMessageContaining("not what Redis answers")
          .hasMessageNotContaining("cast")
          .hasMessageNotContaining("java.");
    }
  }

  static Stream<String> hostileReplies() {
    return Stream.of(
        "*2147483647\r\n", // an array of 2^31-1 slots
        "*1\r\n$2000000000\r\n", // a 2 GB value
        "$2000000000\r\n",
        "*1\r\n".repeat(200_000), // arrays in arrays: the parser recurses
        "*3\r\n$-1\r\n$-1\r\n$-1\r\n", // three values for one key
        "*1\r\n$abc\r\n",
        "?what\r\n");
  }

  // Issue 11, item 6: nothing the server sends is allocated before it is bounded; replies within
  // the bound still parse (a value of the wrong length is only a rejected entry).
  @Tag("hostile")
  @Test
  void aWellFormedReplyWithAValueOfTheWrongLengthIsARejectedEntryNotAFailure() throws Exception {
    try (HostileRedisServer hostile = HostileRedisServer.answeringMget("*1\r\n$5\r\nhello\r\n")) {
      List<String> warnings = new ArrayList<>();
      RedisTier redis = RedisTier.connect(hostile.uri(), Duration.ofDays(1), Duration.ofSeconds(2));
      try (TieredVectorCache cache = new TieredVectorCache(List.of(redis), warnings::add)) {
        assertThat(cache.getAll(MODEL, List.of("a"))).isEmpty();
        assertThat(cache.getAll(MODEL, List.of("b"))).isEmpty();
        assertThat(cache.stats().get(0).failures()).isZero();
        assertThat(cache.stats().get(0).rejected()).isEqualTo(2);
        assertThat(warnings).singleElement().asString().contains("integrity check");
      }
    }
  }

  // Issue 11, item 7: an entry overwritten with a vector of the right length (every semantic
  // score became -0.0715) is rejected, not served.
  @Tag("hostile")
  @Test
  void anOverwrittenEntryIsNotServed() throws Exception {
    try (RedisServer server = RedisServer.start(dir);
        RedisTier redis =
            RedisTier.connect(server.uri(), Duration.ofDays(1), Duration.ofSeconds(1));
        RedisClient attacker = RedisClient.create(server.uri())) {
      float[] a = unitVector(new Random(3));
      redis.putAll(MODEL, Map.of("a", a));
      byte[] key = redis.keys(MODEL).getFirst().getBytes(StandardCharsets.UTF_8);
      byte[] value = attacker.get(key);
      // The attacker keeps the layout and length, and replaces the vector.
      ByteBuffer poison = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < MODEL.dimensions(); i++) {
        poison.putShort(1 + 2 * i, Float.floatToFloat16(-0.0715f));
      }
      attacker.set(key, value);
      assertThat(redis.getAll(MODEL, List.of("a"))).isEmpty();
      assertThat(redis.rejected()).isEqualTo(1);
    }
  }

  // Issue 11, item 7: one chunk's (valid) entry copied under another chunk's key is not served.
  @Tag("hostile")
  @Test
  void anEntryCopiedUnderAnotherChunksKeyIsNotServed() throws Exception {
    try (RedisServer server = RedisServer.start(dir);
        RedisTier redis =
            RedisTier.connect(server.uri(), Duration.ofDays(1), Duration.ofSeconds(1));
        RedisClient attacker = RedisClient.create(server.uri())) {
      redis.putAll(MODEL, Map.of("a", unitVector(new Random(4)), "b", unitVector(new Random(5))));
      List<String> keys = redis.keys(MODEL);
      attacker.set(
          keys.get(1).getBytes(StandardCharsets.UTF_8),
          attacker.get(keys.get(0).getBytes(StandardCharsets.UTF_8)));
      assertThat(redis.getAll(MODEL, List.of("a", "b"))).hasSize(1);
      assertThat(redis.rejected()).isEqualTo(1);
    }
  }

  // Issue 11, item 7: the model's vectors are unit length; an entry that is not was not written by
  // it (a correct checksum proves nothing: anyone can compute one).
  @Tag("hostile")
  @Test
  void anEntryThatIsNotUnitLengthIsNotServedForANormalisedModel() throws Exception {
    try (RedisServer server = RedisServer.start(dir);
        RedisTier redis =
            RedisTier.connect(server.uri(), Duration.ofDays(1), Duration.ofSeconds(1))) {
      float[] a = unitVector(new Random(6));
      float[] scaled = a.clone();
      for (int i = 0; i < scaled.length; i++) {
        scaled[i] *= 1.4f;
      }
      redis.putAll(MODEL, Map.of("a", a, "b", scaled));
      assertThat(redis.getAll(MODEL, List.of("a", "b"))).containsOnlyKeys("a");
      assertThat(redis.rejected()).isEqualTo(1);
    }
  }
}
