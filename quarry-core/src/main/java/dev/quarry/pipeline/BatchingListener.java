package dev.quarry.pipeline;

import dev.quarry.pipeline.Messages.ScanMessage;
import dev.quarry.scan.ScanListener;
import dev.quarry.scan.ScannedFile;
import dev.quarry.scan.SkipReason;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * Puts everything the scan reports on the queue in batches, one being filled per walking thread,
 * blocking when the queue is full (backpressure). With one walking thread the order of reports is
 * kept.
 */
final class BatchingListener implements ScanListener {
  private final BoundedQueue<ScanMessage> queue;
  private final StageMeter meter;
  private final List<Batch.Builder<ScanItem>> builders = new CopyOnWriteArrayList<>();
  private final ThreadLocal<Batch.Builder<ScanItem>> current =
      ThreadLocal.withInitial(this::newBuilder);
  private final BooleanSupplier cancelled;
  private final RunListener found;

  BatchingListener(
      BoundedQueue<ScanMessage> queue,
      StageMeter meter,
      BooleanSupplier cancelled,
      RunListener found) {
    this.queue = queue;
    this.meter = meter;
    this.cancelled = cancelled;
    this.found = found;
  }

  private Batch.Builder<ScanItem> newBuilder() {
    Batch.Builder<ScanItem> builder = new Batch.Builder<>();
    builders.add(builder);
    return builder;
  }

  @Override
  public void onFile(ScannedFile file) {
    meter.record(0);
    add(new ScanItem.Found(file), 256 + 4L * file.relativePath().length());
  }

  @Override
  public void onSkipped(String relativePath, SkipReason reason) {
    add(new ScanReport(new FileOutcome.Skipped(relativePath, reason), null), 64);
  }

  @Override
  public void onFailed(String relativePath, String cause) {
    throw new IllegalStateException("the scan names the root of what it could not read");
  }

  @Override
  public void onFailed(Path root, String relativePath, String cause) {
    add(new ScanReport(new FileOutcome.Failed(relativePath, cause), root.toString()), 64);
  }

  /** A change list's file to remove from the index. */
  void onRemoval(Removal removal) {
    add(removal, 64 + 2L * removal.file().length());
  }

  /** A change list's record that names nothing to index: reported as a failure. */
  void onRejected(String text, String cause) {
    add(new ScanReport(new FileOutcome.Failed(text, cause), null), 64);
  }

  private void add(ScanItem item, long bytes) {
    if (cancelled.getAsBoolean()) {
      throw new CancellationException("run cancelled"); // stops the walk where it is
    }
    Batch.Builder<ScanItem> builder = current.get();
    builder.add(item, bytes);
    if (builder.size() >= Batch.ITEMS) {
      put(builder.take());
    }
  }

  /** Puts every partial batch; called once the walking threads are finished. */
  void flushAll() {
    for (Batch.Builder<ScanItem> builder : builders) {
      if (!builder.isEmpty()) {
        put(builder.take());
      }
    }
  }

  private void put(Batch<ScanItem> batch) {
    // Counted before it is handed on: no outcome of the batch comes before its finding.
    found.onFound(batch.items().size());
    try {
      queue.put(new ScanMessage.Found(batch));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("scan interrupted", e);
    }
  }
}
