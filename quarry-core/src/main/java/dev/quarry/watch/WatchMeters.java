package dev.quarry.watch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The watch's Micrometer meters, all prefixed {@code quarry.watch.}: {@code events} (file-system
 * events received), {@code overflows} (the kernel dropped events: a reconcile follows), {@code
 * lost} (watches the kernel dropped: a directory deleted, a file system unmounted), {@code
 * batch.paths} (paths per sync run; its count is the sync runs), {@code reconciles} (index runs),
 * {@code failures} (runs that threw), and {@code lag}: from the first event of a batch to the
 * commit that makes it searchable. Cannot fail. Thread-safe.
 *
 * <p>The lag's start travels with the batch: the watcher's thread marks it when a batch is due,
 * just before it hands the batch to the live index on that same thread ({@link #batchDue}), which
 * takes it with the batch's paths ({@link #takeBatchStart}).
 */
final class WatchMeters {
  /** No time known (any long is a possible System.nanoTime, but not this one in practice). */
  static final long NONE = Long.MIN_VALUE;

  private final LongSupplier nanoTime;
  private final Counter events;
  private final Counter overflows;
  private final Counter lost;
  private final DistributionSummary batchPaths;
  private final Counter reconciles;
  private final Counter failures;
  private final Timer lag;

  /** The first event's time of the batch being handed on; NONE between batches. */
  private final AtomicLong dueSince = new AtomicLong(NONE);

  WatchMeters(MeterRegistry registry, LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    events =
        Counter.builder("quarry.watch.events")
            .description("file-system events received")
            .register(registry);
    overflows =
        Counter.builder("quarry.watch.overflows")
            .description("times the kernel dropped events (a reconcile follows)")
            .register(registry);
    lost =
        Counter.builder("quarry.watch.lost")
            .description("watched directories the kernel stopped watching")
            .register(registry);
    batchPaths =
        DistributionSummary.builder("quarry.watch.batch.paths")
            .description("paths per sync run of the watch")
            .register(registry);
    reconciles =
        Counter.builder("quarry.watch.reconciles")
            .description("index runs (walks of the roots) of the live index")
            .register(registry);
    failures =
        Counter.builder("quarry.watch.failures")
            .description("runs of the live index that failed")
            .register(registry);
    // Seconds matter here (the target is a saved file searchable within 1 s): a histogram, so
    // Prometheus can tell the p95.
    lag =
        Timer.builder("quarry.watch.lag")
            .description("from a batch's first file-system event to the commit that applies it")
            .publishPercentileHistogram()
            .maximumExpectedValue(Duration.ofMinutes(1))
            .register(registry);
  }

  void events(int count) {
    events.increment(count);
  }

  void overflowed() {
    overflows.increment();
  }

  void lostWatch() {
    lost.increment();
  }

  /** A batch whose first event came at {@code firstEventNanos} is being handed on now. */
  void batchDue(long firstEventNanos) {
    dueSince.set(firstEventNanos);
  }

  /** The first event's time of the batch being handed on ({@link #NONE} when unknown), once. */
  long takeBatchStart() {
    return dueSince.getAndSet(NONE);
  }

  /** The earlier of two event times, either possibly {@link #NONE}. */
  static long earlier(long a, long b) {
    if (a == NONE) {
      return b;
    }
    return b == NONE || a - b <= 0 ? a : b; // nanoTime values compare by difference
  }

  void syncRun(int paths) {
    batchPaths.record(paths);
  }

  void reconcileRun() {
    reconciles.increment();
  }

  void failedRun() {
    failures.increment();
  }

  /** The changes that came from {@code firstEventNanos} on are committed now. */
  void applied(long firstEventNanos) {
    if (firstEventNanos != NONE) {
      lag.record(Math.max(0, nanoTime.getAsLong() - firstEventNanos), TimeUnit.NANOSECONDS);
    }
  }
}
