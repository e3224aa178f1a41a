package dev.quarry.pipeline;

import dev.quarry.changes.ChangeRequest;
import dev.quarry.pipeline.Messages.ScanMessage;
import dev.quarry.scan.PathExaminer;
import dev.quarry.scan.TreeScanner;
import java.util.Iterator;
import java.util.function.BooleanSupplier;

/**
 * Stage 1: walks the roots (or reads a sync run's change list) and hands what it finds to the
 * workers in batches, then one end message per worker. Knows whether it reached the end: only a
 * complete walk may let the run delete the indexed files it did not see.
 */
final class WalkStage {
  private final IndexOptions options;

  /** The change list of a sync run; null for a walk of the roots. */
  private final Iterator<ChangeRequest> changes;

  private final StageMeter meter;
  private final StageFailures failures;
  private final BooleanSupplier cancelled;
  private final RunListener found; // hears what the walk hands on
  private volatile boolean completed;

  WalkStage(
      IndexOptions options,
      Iterator<ChangeRequest> changes,
      StageMeter meter,
      StageFailures failures,
      BooleanSupplier cancelled,
      RunListener listener) {
    this.options = options;
    this.found = listener;
    this.changes = changes;
    this.meter = meter;
    this.failures = failures;
    this.cancelled = cancelled;
  }

  /** Whether the walk went through every root (or the whole change list) to the end. */
  boolean completed() {
    return completed;
  }

  void run(BoundedQueue<ScanMessage> out) throws Exception {
    long start = System.nanoTime();
    BatchingListener listener = new BatchingListener(out, meter, cancelled, found);
    try {
      if (changes == null) {
        TreeScanner.create(options.scan()).scan(options.roots(), listener);
      } else {
        new ChangeListWalk(new PathExaminer(options.scan(), options.roots()), listener)
            .walk(changes, cancelled);
      }
      listener.flushAll(); // the walk's threads are done: their last partial batches go now
      completed = !cancelled.getAsBoolean();
      if (completed) {
        found.onWalkEnded();
      }
    } catch (RuntimeException e) {
      if (!cancelled.getAsBoolean()) {
        failures.record(e);
        throw e;
      }
      // Cancelled: the walk stopped where it was (the parallel walk may wrap the cancellation).
      listener.flushAll();
    } catch (Exception | Error e) {
      failures.record(e); // before the end messages: see StageFailures
      throw e;
    } finally {
      // Busy = the walking threads' time less the time they spent blocked on a full queue.
      long threadNanos = (System.nanoTime() - start) * options.scan().parallelism();
      meter.busy(Math.max(0, threadNanos - out.stats().putWaitNanos()));
      for (int i = 0; i < options.workers(); i++) {
        out.put(new ScanMessage.WalkEnded());
      }
    }
  }
}
