package dev.quarry.embed.remote;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Stops calling an endpoint that keeps failing. Closed: calls pass. After {@code threshold}
 * consecutive failures it opens: calls fail at once, without a request, for {@code coolDown}. Then
 * it is half-open: one probe call passes; its success closes the circuit, its failure opens it
 * again for another cool-down. Thread-safe; time comes from an injected nanosecond clock.
 */
final class CircuitBreaker {
  enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  private final int threshold;
  private final long coolDownNanos;
  private final LongSupplier nanoClock;

  private State state = State.CLOSED;
  private int consecutiveFailures;
  private long openedAt;
  private boolean probeInFlight;

  CircuitBreaker(int threshold, Duration coolDown, LongSupplier nanoClock) {
    if (threshold < 1) {
      throw new IllegalArgumentException("threshold must be at least 1, got " + threshold);
    }
    this.threshold = threshold;
    this.coolDownNanos = coolDown.toNanos();
    this.nanoClock = nanoClock;
  }

  /**
   * Whether a call may go out now; a true answer in the half-open state makes that call the probe.
   */
  synchronized boolean tryAcquire() {
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (nanoClock.getAsLong() - openedAt < coolDownNanos) {
          return false;
        }
        state = State.HALF_OPEN;
        probeInFlight = true;
        return true;
      default:
        if (probeInFlight) {
          return false;
        }
        probeInFlight = true;
        return true;
    }
  }

  synchronized void onSuccess() {
    state = State.CLOSED;
    consecutiveFailures = 0;
    probeInFlight = false;
  }

  synchronized void onFailure() {
    consecutiveFailures++;
    probeInFlight = false;
    if (state == State.HALF_OPEN || consecutiveFailures >= threshold) {
      state = State.OPEN;
      openedAt = nanoClock.getAsLong();
    }
  }

  /** A call that says nothing about the endpoint's health (a 429): frees the probe slot only. */
  synchronized void onNeutral() {
    probeInFlight = false;
  }

  synchronized State state() {
    return state;
  }

  synchronized int consecutiveFailures() {
    return consecutiveFailures;
  }

  /** How long until an open circuit lets a probe through (zero unless open). */
  synchronized Duration remainingCoolDown() {
    if (state != State.OPEN) {
      return Duration.ZERO;
    }
    return Duration.ofNanos(Math.max(0, coolDownNanos - (nanoClock.getAsLong() - openedAt)));
  }
}
