package dev.quarry.embed.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.chunk.TokenSpans;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The remote model's parts on their own, with a fake clock. */
class RemotePartsTest {
  final AtomicLong now = new AtomicLong();

  @Test
  void circuitOpensAfterConsecutiveFailuresThenLetsOneProbeThroughAfterTheCoolDown() {
    CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(10), now::get);
    breaker.onFailure();
    breaker.onFailure();
    breaker.onSuccess(); // not consecutive: counting starts again
    breaker.onFailure();
    breaker.onFailure();
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.onFailure();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
    now.addAndGet(Duration.ofSeconds(9).toNanos());
    assertThat(breaker.tryAcquire()).isFalse();
    assertThat(breaker.remainingCoolDown()).isEqualTo(Duration.ofSeconds(1));
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(breaker.tryAcquire()).as("the probe").isTrue();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    assertThat(breaker.tryAcquire()).as("a second call while the probe is out").isFalse();
    breaker.onFailure(); // the probe failed: open again for a whole cool-down
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.onSuccess();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.tryAcquire()).isTrue();
  }

  @Test
  void aRateLimitedProbeFreesTheProbeSlotWithoutClosingOrOpening() {
    CircuitBreaker breaker = new CircuitBreaker(1, Duration.ofSeconds(1), now::get);
    breaker.onFailure();
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.onNeutral();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    assertThat(breaker.tryAcquire()).isTrue();
  }

  @Test
  void batchSizeGrowsWhileFastAndHalvesWhenSlowOrFailing() {
    AdaptiveBatchSize size = new AdaptiveBatchSize(16, 1, 64, Duration.ofSeconds(1));
    long fast = Duration.ofMillis(100).toNanos();
    size.onSuccess(16, fast);
    assertThat(size.current()).isEqualTo(20);
    size.onSuccess(5, fast); // a small tail batch says nothing about the size
    assertThat(size.current()).isEqualTo(20);
    for (int i = 0; i < 20; i++) {
      size.onSuccess(size.current(), fast);
    }
    assertThat(size.current()).isEqualTo(64);
    size.onSuccess(64, Duration.ofMillis(1500).toNanos()); // slower than target, not twice: kept
    assertThat(size.current()).isEqualTo(64);
    size.onSuccess(64, Duration.ofSeconds(3).toNanos());
    assertThat(size.current()).isEqualTo(32);
    size.onFailure();
    assertThat(size.current()).isEqualTo(16);
    for (int i = 0; i < 10; i++) {
      size.onFailure();
    }
    assertThat(size.current()).isEqualTo(1);
  }

  @Test
  void backoffDoublesUpToItsMaximumWithJitterOfAtMostHalfAStep() {
    Backoff backoff = new Backoff(10, Duration.ofMillis(100), Duration.ofMillis(1000));
    long seed = new SplittableRandom().nextLong();
    SplittableRandom random = new SplittableRandom(seed);
    long[] steps = {100, 200, 400, 800, 1000, 1000};
    for (int attempt = 1; attempt <= steps.length; attempt++) {
      long step = steps[attempt - 1];
      for (int i = 0; i < 50; i++) {
        Duration d = backoff.delay(attempt, random);
        assertThat(d.toMillis()).as("attempt %d, seed %d", attempt, seed).isBetween(step / 2, step);
      }
    }
  }

  @Test
  void approximateTokenizerOverCountsInPiecesOfThreeCharsAndSymbols() {
    TokenSpans spans = new ApproximateTokenizer().tokenize("launchRocket(x1, 42);  é");
    StringBuilder tokens = new StringBuilder();
    String text = "launchRocket(x1, 42);  é";
    for (int i = 0; i < spans.count(); i++) {
      tokens.append('[').append(text, spans.start(i), spans.end(i)).append(']');
    }
    assertThat(tokens.toString()).isEqualTo("[lau][nch][Roc][ket][(][x1][,][42][)][;][é]");
    // At most 3 chars a token: never fewer tokens than a BPE tokenizer's ~4 chars a token.
    assertThat(new ApproximateTokenizer().countTokens("a".repeat(300))).isEqualTo(100);
  }

  @Test
  void apiKeyNeverShowsInItsTextAndIsRedactedFromMessages() {
    ApiKey key = ApiKey.of("sk-abc");
    assertThat(key.toString()).doesNotContain("sk-abc");
    assertThat(key.redact("bad key sk-abc given")).isEqualTo("bad key *** given");
    assertThat(ApiKey.of("  ").present()).isFalse();
  }
}
