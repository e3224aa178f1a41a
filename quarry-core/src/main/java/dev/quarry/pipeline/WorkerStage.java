package dev.quarry.pipeline;

import dev.quarry.manifest.ManifestSnapshot;
import dev.quarry.pipeline.Messages.EmbedMessage.PendingFile;
import dev.quarry.pipeline.Messages.ScanMessage;
import dev.quarry.pipeline.Messages.WorkMessage;
import dev.quarry.scan.ScannedFile;
import dev.quarry.store.IndexStore;
import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * Stage 2, on many threads: each worker takes the walk's batches, detects changes against the
 * manifest, reads, extracts and chunks what changed ({@link FileProcessor}), writes it to the store
 * itself ({@link TextWriter}), and passes the results on to the books in batches.
 */
final class WorkerStage {
  /** A worker passes its results on before they hold more text than this. */
  static final long BATCH_BYTES = 4L << 20;

  /** The weight of an item that holds no text. */
  private static final long SMALL_ITEM = 64;

  private final FileProcessor processor;
  private final TextWriter writer;
  private final IndexStore store;
  private final ManifestLoad manifest;
  private final StageMeter meter;
  private final StageFailures failures;
  private final BooleanSupplier cancelled;
  private final FileMemory memory;
  private final long vectorBytesPerChunk;

  WorkerStage(
      FileProcessor processor,
      TextWriter writer,
      IndexStore store,
      ManifestLoad manifest,
      StageMeter meter,
      StageFailures failures,
      BooleanSupplier cancelled,
      FileMemory memory,
      long vectorBytesPerChunk) {
    this.processor = processor;
    this.memory = memory;
    this.vectorBytesPerChunk = vectorBytesPerChunk;
    this.writer = writer;
    this.store = store;
    this.manifest = manifest;
    this.meter = meter;
    this.failures = failures;
    this.cancelled = cancelled;
  }

  /** One worker's loop, until the walk has ended or a stage failed. Ends with its end message. */
  void run(BoundedQueue<ScanMessage> in, BoundedQueue<WorkMessage> out)
      throws IOException, InterruptedException {
    try {
      ManifestSnapshot snapshot = manifest.await();
      Batch.Builder<WorkResult> results = new Batch.Builder<>();
      while (!failures.any()) {
        switch (in.take()) {
          case ScanMessage.WalkEnded end -> {
            return;
          }
          case ScanMessage.Found found -> {
            if (cancelled.getAsBoolean()) {
              continue; // drain the queue, so the walk's last puts never block
            }
            for (ScanItem item : found.batch().items()) {
              handle(item, snapshot, results, out);
              // Chunks wait in a batch for the books (and the embedder): pass them on in good time.
              if (results.bytes() >= BATCH_BYTES) {
                out.put(new WorkMessage.Done(results.take()));
              }
            }
            if (!results.isEmpty()) {
              out.put(new WorkMessage.Done(results.take()));
            }
          }
        }
      }
    } catch (RuntimeException | Error | IOException e) {
      failures.record(e); // before the end message: see StageFailures
      throw e;
    } finally {
      out.put(new WorkMessage.WorkerEnded());
    }
  }

  private void handle(
      ScanItem item,
      ManifestSnapshot snapshot,
      Batch.Builder<WorkResult> results,
      BoundedQueue<WorkMessage> out)
      throws IOException, InterruptedException {
    switch (item) {
      case Removal removal -> {
        ScanReport report = remove(removal, snapshot);
        if (report != null) {
          results.add(report, SMALL_ITEM);
        }
      }
      case ScanItem.Found found -> {
        ScannedFile file = found.file();
        long start = System.nanoTime();
        int slot = snapshot.slotOf(IndexRun.fileId(file));
        FileMemory.Lease lease = memory.tryLease(file.size());
        if (lease == null) {
          // Pass on what this worker holds first: the files it leased memory for must be able to
          // reach the embedder and give it back, or workers could wait for each other forever.
          if (!results.isEmpty()) {
            out.put(new WorkMessage.Done(results.take()));
          }
          lease = memory.lease(file.size(), () -> cancelled.getAsBoolean() || failures.any());
        }
        FileWork work;
        TextWriter.Written written;
        try {
          work = processor.process(file, snapshot, slot);
          written = writer.write(work, slot < 0, lease);
        } catch (RuntimeException | Error | IOException e) {
          lease.release();
          throw e;
        }
        if (written == null || written.pending() == null) {
          lease.release(); // written with every vector it gets: nothing of it waits any more
        } else {
          PendingFile pending = written.pending();
          lease.shrinkTo(pending.bytes() + (long) pending.owed() * vectorBytesPerChunk);
        }
        meter.record(System.nanoTime() - start);
        results.add(
            new WorkResult.Processed(file, slot, work, written),
            work instanceof FileWork.Chunked c ? c.bytes() : SMALL_ITEM);
      }
      case ScanReport report -> results.add(report, SMALL_ITEM);
    }
  }

  /** Removes a listed file from the store if it is there; returns what to report of it. */
  private ScanReport remove(Removal removal, ManifestSnapshot snapshot) throws IOException {
    if (snapshot.slotOf(removal.file()) >= 0) {
      store.deleteFile(removal.file());
      return new ScanReport(removal.ifIndexed(), null);
    }
    return removal.otherwise() == null ? null : new ScanReport(removal.otherwise(), null);
  }
}
