package dev.quarry.pipeline;

import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** Items and busy time of one pipeline stage, added to from the stage's threads. Thread-safe. */
final class StageMeter {
  private final String name;
  private final int threads;
  private final LongAdder items = new LongAdder();
  private final LongAdder busyNanos = new LongAdder();

  private final Timer timer; // null: items are not timed one by one

  StageMeter(String name, int threads) {
    this(name, threads, null);
  }

  /** A meter that also records each item's busy time into {@code timer}. */
  StageMeter(String name, int threads, Timer timer) {
    this.name = name;
    this.threads = threads;
    this.timer = timer;
  }

  /** Counts one item that kept the stage busy for {@code nanos}. */
  void record(long nanos) {
    items.increment();
    busyNanos.add(nanos);
    if (timer != null) {
      timer.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Adds busy time without an item (work spread over items, like a commit). */
  void busy(long nanos) {
    busyNanos.add(nanos);
  }

  StageReport report(double wallSeconds, BoundedQueue.Stats input) {
    double busy = busyNanos.sum() / 1e9;
    double utilisation = wallSeconds > 0 ? busy / (wallSeconds * threads) : 0;
    return new StageReport(
        name,
        threads,
        items.sum(),
        busy,
        input == null ? 0 : input.takeWaitNanos() / 1e9,
        input == null ? 0 : input.putWaitNanos() / 1e9,
        wallSeconds > 0 ? items.sum() / wallSeconds : 0,
        utilisation);
  }
}
