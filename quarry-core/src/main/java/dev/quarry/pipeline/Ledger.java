package dev.quarry.pipeline;

import dev.quarry.cache.TierStats;
import dev.quarry.scan.SkipReason;
import dev.quarry.store.IndexStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A run's books: every file's outcome (counted, metered and passed to the listener), the chunks
 * written, reused and embedded, the bytes read and the vectors still owed. Written by the books,
 * the embedder and the vector writer; thread-safe.
 */
final class Ledger {
  private final RunListener listener;
  private final PipelineMetrics metrics;
  private long indexed, unchanged, rehashed, deleted, skipped, failed;
  private long chunksWritten, chunksEmbedded, chunksReused;
  private final Map<SkipReason, Long> skippedByReason = new EnumMap<>(SkipReason.class);
  private final List<FileOutcome.Failed> failures = new ArrayList<>();
  private final LongAdder bytesRead = new LongAdder();

  /** Chunks written without vectors whose vectors are not written yet. */
  private final AtomicLong embedBacklog = new AtomicLong();

  Ledger(RunListener listener, PipelineMetrics metrics) {
    this.listener = listener;
    this.metrics = metrics;
    metrics.watchBacklog(embedBacklog::get);
  }

  /** Counts a file's outcome and tells the listener. */
  void record(FileOutcome outcome) {
    synchronized (this) {
      switch (outcome) {
        case FileOutcome.Indexed i -> indexed++;
        case FileOutcome.Unchanged u -> {
          unchanged++;
          if (u.rehashed()) {
            rehashed++;
          }
        }
        case FileOutcome.Deleted d -> deleted++;
        case FileOutcome.Skipped s -> {
          skipped++;
          skippedByReason.merge(s.reason(), 1L, Long::sum);
        }
        case FileOutcome.Failed f -> {
          failed++;
          failures.add(f);
        }
      }
    }
    metrics.outcome(outcome);
    listener.onOutcome(outcome);
  }

  /**
   * A file counted indexed whose documents the store then refused: failed after all (its outcome
   * told again, as failed), so that the run's counts say what the index holds.
   */
  void rejected(IndexStore.RejectedFile rejected) {
    synchronized (this) {
      if (indexed > 0) {
        indexed--;
      }
    }
    record(new FileOutcome.Failed(rejected.path(), "the store refused it: " + rejected.cause()));
  }

  /**
   * A file's chunks are in the index for good, {@code reused} of them with vectors known before.
   */
  void chunksWritten(int written, int reused) {
    synchronized (this) {
      chunksWritten += written;
      chunksReused += reused;
    }
    metrics.chunks(written, reused);
  }

  /** The model computed {@code count} vectors. */
  void embeddedByModel(int count) {
    synchronized (this) {
      chunksEmbedded += count;
    }
    listener.onEmbedded(count);
  }

  void bytesRead(long bytes) {
    bytesRead.add(bytes);
    metrics.bytesRead(bytes);
  }

  /** {@code chunks} were written as text and wait for vectors. */
  void owed(int chunks) {
    embedBacklog.addAndGet(chunks);
    listener.onQueuedForEmbedding(chunks);
  }

  /** {@code chunks} owed vectors were written, or left to the next run. */
  void settled(int chunks) {
    embedBacklog.addAndGet(-chunks);
  }

  /** The counted result, with what the caller measured. */
  synchronized RunSummary summary(
      long id,
      String kind,
      RunStatus status,
      Instant started,
      double wall,
      long chunksInIndex,
      List<StageReport> stages,
      ResourceUsage resources,
      List<TierStats.Snapshot> cache) {
    return new RunSummary(
        id,
        kind,
        status,
        started,
        wall,
        indexed,
        unchanged,
        rehashed,
        deleted,
        skipped,
        failed,
        skippedByReason,
        failures,
        bytesRead.sum(),
        chunksWritten,
        chunksEmbedded,
        chunksReused,
        chunksInIndex,
        stages,
        resources,
        cache);
  }
}
