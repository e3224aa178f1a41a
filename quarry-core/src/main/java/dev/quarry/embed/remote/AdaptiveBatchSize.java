package dev.quarry.embed.remote;

import java.time.Duration;

/**
 * The number of texts per request, adapted to the endpoint: grows by a quarter after a full-size
 * request that answered within the target latency, halves after one that took more than twice the
 * target or failed (additive-increase/multiplicative-decrease, as TCP does, so it backs off fast
 * from an overloaded endpoint and creeps back). Thread-safe.
 */
final class AdaptiveBatchSize {
  private final int min;
  private final int max;
  private final long targetNanos;
  private int current;

  AdaptiveBatchSize(int start, int min, int max, Duration target) {
    if (min < 1 || max < min || start < min || start > max) {
      throw new IllegalArgumentException(
          "need 1 <= min <= start <= max, got " + min + ", " + start + ", " + max);
    }
    this.min = min;
    this.max = max;
    this.current = start;
    this.targetNanos = target.toNanos();
  }

  synchronized int current() {
    return current;
  }

  /** A request of {@code size} texts succeeded in {@code nanos}. */
  synchronized void onSuccess(int size, long nanos) {
    if (nanos > 2 * targetNanos) {
      current = Math.max(min, current / 2);
    } else if (nanos <= targetNanos && size >= current) {
      // Only a request as large as the current size says that size is fine: small tail batches
      // are fast whatever the endpoint's state.
      current = Math.min(max, current + Math.max(1, current / 4));
    }
  }

  synchronized void onFailure() {
    current = Math.max(min, current / 2);
  }
}
