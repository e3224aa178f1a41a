package dev.quarry.embed.remote;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How often and how long to wait between tries of one request: exponential backoff with "equal
 * jitter" (half the step fixed, half random), so clients that failed together do not all retry in
 * the same instant, yet each waits at least half its step.
 *
 * @param maxAttempts tries in all, the first included
 * @param base the step before the first retry
 * @param max the largest step
 */
record Backoff(int maxAttempts, Duration base, Duration max) {
  /**
   * Five tries from 200 ms, doubling up to 10 s: rides out a restart of a few seconds (about 3 s of
   * waiting in all) without holding an indexing run for minutes on a dead endpoint.
   */
  static final Backoff DEFAULT = new Backoff(5, Duration.ofMillis(200), Duration.ofSeconds(10));

  public Backoff {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (base.isNegative() || max.compareTo(base) < 0) {
      throw new IllegalArgumentException("need 0 <= base <= max, got " + base + " and " + max);
    }
  }

  /** The wait after failed try number {@code attempt} (1-based). */
  Duration delay(int attempt, RandomGenerator random) {
    long step = base.toNanos();
    for (int i = 1; i < attempt && step < max.toNanos(); i++) {
      step *= 2;
    }
    step = Math.min(step, max.toNanos());
    long half = step / 2;
    return Duration.ofNanos(half + (half > 0 ? random.nextLong(half + 1) : 0));
  }
}
