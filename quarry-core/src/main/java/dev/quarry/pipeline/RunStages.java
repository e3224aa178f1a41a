package dev.quarry.pipeline;

import dev.quarry.cache.ModelKey;
import dev.quarry.cache.TieredVectorCache;
import dev.quarry.changes.ChangeRequest;
import dev.quarry.chunk.Chunker;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.extract.Extractors;
import dev.quarry.pipeline.Messages.EmbedMessage;
import dev.quarry.pipeline.Messages.ScanMessage;
import dev.quarry.pipeline.Messages.VectorMessage;
import dev.quarry.pipeline.Messages.WorkMessage;
import dev.quarry.store.IndexStore;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The stages of one run, wired together and run to the end: the queues between them (bounded by
 * count and by bytes), the threads, the failure protocol, and the run's last commit with its
 * report. Built by {@link IndexRun} once the run has its identity.
 */
final class RunStages {
  /**
   * Scan batches waiting for a worker: many files, so the walk can run ahead while the manifest
   * loads (a no-op run is mostly walk); bounded by bytes too, with long paths.
   */
  private static final int SCAN_QUEUE_BATCHES = 256;

  /**
   * The byte bounds are shares of the heap: the queues, the index writer's 64 MB buffer and a
   * merge's vector graph ({@code HeapBoundedMergePolicy}) must fit in it together. At Quarry's 256
   * MB, fixed bounds of 16 + 32 + 32 MB left a 300k-file static run collecting garbage back to
   * back.
   */
  private static final long HEAP = Runtime.getRuntime().maxMemory();

  private static final long SCAN_QUEUE_BYTES = HEAP / 32;

  /** Items waiting in the later queues; their byte bounds are the ones that matter. */
  private static final int QUEUE_ITEMS = 4096;

  /** Chunked files waiting for the books: bounded by the text they hold. */
  private static final long WORK_QUEUE_BYTES = HEAP / 16;

  /**
   * Files waiting for vectors: at 256 MB, 16 MB of text, minutes of a transformer's work, so text
   * indexing runs ahead of embedding.
   */
  private static final long EMBED_QUEUE_BYTES = HEAP / 16;

  /** Embedded batches waiting for the vector writer. */
  private static final int VECTOR_QUEUE_BATCHES = 2;

  /** What a run is made of, fixed before it starts. */
  record Parts(
      IndexOptions options,
      IndexStore store,
      EmbeddingModel model,
      Chunker chunker,
      String modelId,
      RunListener listener,
      IndexRun.ContentReader reader,
      TieredVectorCache cache,
      BooleanSupplier cancelled) {}

  private final IndexOptions options;
  private final IndexStore store;
  private final EmbeddingModel model; // null for a lexical-only run
  private final Chunker chunker;
  private final String modelId;
  private final RunListener listener;
  private final IndexRun.ContentReader reader;
  private final TieredVectorCache cache;
  private final BooleanSupplier cancelled;

  private final Iterator<ChangeRequest> changes;
  private final String kind;
  private final RunIdentity identity;
  private final ManifestLoad manifest;
  private final RunCommits commits;
  private final PipelineMetrics metrics;
  private final StageFailures failures = new StageFailures();
  private final Ledger ledger;

  RunStages(
      Parts parts,
      Iterator<ChangeRequest> changes,
      String kind,
      RunIdentity identity,
      ManifestLoad manifest,
      RunCommits commits,
      PipelineMetrics metrics) {
    this.options = parts.options();
    this.store = parts.store();
    this.model = parts.model();
    this.chunker = parts.chunker();
    this.modelId = parts.modelId();
    this.listener = parts.listener();
    this.reader = parts.reader();
    this.cache = parts.cache();
    this.cancelled = parts.cancelled();
    this.changes = changes;
    this.kind = kind;
    this.identity = identity;
    this.manifest = manifest;
    this.commits = commits;
    this.metrics = metrics;
    this.ledger = new Ledger(listener, metrics);
    commits.rejectionsTo(ledger::rejected);
  }

  RunSummary run(Instant started, long startNanos) throws IOException, InterruptedException {
    BoundedQueue<ScanMessage> scanQueue =
        new BoundedQueue<>(SCAN_QUEUE_BATCHES, SCAN_QUEUE_BYTES, Messages::weight);
    BoundedQueue<WorkMessage> workQueue =
        new BoundedQueue<>(QUEUE_ITEMS, WORK_QUEUE_BYTES, Messages::weight);
    BoundedQueue<EmbedMessage> embedQueue =
        new BoundedQueue<>(QUEUE_ITEMS, EMBED_QUEUE_BYTES, Messages::weight);
    BoundedQueue<VectorMessage> vectorQueue =
        new BoundedQueue<>(VECTOR_QUEUE_BATCHES, Long.MAX_VALUE, m -> 1);
    metrics.watchQueue("scan", scanQueue);
    metrics.watchQueue("work", workQueue);
    metrics.watchQueue("embed", embedQueue);

    StageMeter scanMeter = new StageMeter("scan", options.scan().parallelism());
    StageMeter workMeter =
        new StageMeter("read+extract+chunk+write", options.workers(), metrics.stageTimer("work"));
    StageMeter indexMeter = new StageMeter("index", 1, metrics.stageTimer("index"));
    StageMeter embedMeter = new StageMeter("embed", 1);

    VectorLookup vectors =
        model == null ? null : new VectorLookup(cache, ModelKey.of(model.identity()), store);
    WalkStage walk = new WalkStage(options, changes, scanMeter, failures, cancelled, listener);
    WorkerStage workers =
        new WorkerStage(
            processor(),
            new TextWriter(store, commits.policy(), vectors),
            store,
            manifest,
            workMeter,
            failures,
            cancelled,
            FileMemory.ofHeap(model != null),
            model == null ? 0 : vectorBytes(model.identity().dimensions()));
    Books books =
        new Books(
            store,
            manifest,
            options.roots(),
            options.workers(),
            ledger,
            commits,
            indexMeter,
            failures,
            embedQueue);

    List<Thread> threads = new ArrayList<>();
    threads.add(failures.thread("quarry-scan", () -> walk.run(scanQueue)));
    for (int i = 0; i < options.workers(); i++) {
      threads.add(failures.thread("quarry-worker-" + i, () -> workers.run(scanQueue, workQueue)));
    }
    Thread embedder = null;
    Thread vectorWriter = null;
    if (model != null) {
      EmbedStage embed =
          new EmbedStage(
              model,
              options.embedBatchSize(),
              vectors,
              ledger,
              metrics,
              embedMeter,
              failures,
              cancelled);
      VectorWriteStage write = new VectorWriteStage(store, commits.policy(), ledger, indexMeter);
      embedder = failures.thread("quarry-embed", () -> embed.run(embedQueue, vectorQueue));
      vectorWriter = failures.thread("quarry-embed-write", () -> write.run(vectorQueue));
      threads.add(embedder);
      threads.add(vectorWriter);
    }
    threads.forEach(Thread::start);
    try {
      books.run(workQueue);
      if (model != null) {
        books.endEmbedding();
        // Embedding outlasts the walk by far on a first index: keep the commit rhythm meanwhile,
        // or a crash would lose every vector computed since the walk ended.
        books.awaitCommitting(embedder);
        books.awaitCommitting(vectorWriter);
      }
      failures.rethrow();
      if (changes == null && walk.completed() && !cancelled.getAsBoolean()) {
        books.deleteVanished();
      }
      double wall = (System.nanoTime() - startNanos) / 1e9;
      List<StageReport> stages =
          new ArrayList<>(
              List.of(
                  scanMeter.report(wall, null),
                  workMeter.report(wall, scanQueue.stats()),
                  indexMeter.report(wall, workQueue.stats())));
      if (model != null) {
        stages.add(embedMeter.report(wall, embedQueue.stats()));
      }
      // Commit the run's changes first: the report counts what the index then holds. A run that
      // changed nothing (the usual re-index) skips this commit; its report is the only one.
      commits.commitChanges();
      RunStatus status = cancelled.getAsBoolean() ? RunStatus.INTERRUPTED : RunStatus.COMPLETED;
      RunSummary summary =
          ledger.summary(
              identity.id(),
              kind,
              status,
              started,
              wall,
              store.stats().chunks(),
              stages,
              ResourceUsage.now(),
              model == null ? List.of() : cache.stats());
      commits.commit(RunReport.of(summary));
      metrics.runEnded(System.nanoTime() - startNanos);
      return summary;
    } finally {
      threads.forEach(Thread::interrupt);
      awaitEnd(threads);
    }
  }

  /**
   * Waits for every stage thread to end. The run's caller closes the model and the store as soon as
   * this returns: a stage still inside the model (an interrupt does not stop a native call) had
   * ONNX Runtime closed under it, and the JVM died of SIGSEGV instead of reporting the failure.
   */
  private static void awaitEnd(List<Thread> threads) {
    boolean interrupted = false;
    for (Thread thread : threads) {
      while (thread.isAlive()) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          interrupted = true; // kept for the caller; the stage must still be waited for
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Heap of one chunk's vector: the floats and the array's header. */
  private static long vectorBytes(int dimensions) {
    return 4L * dimensions + 16;
  }

  private FileProcessor processor() {
    String pipelineVersion = Extractors.VERSION + "/" + options.chunker().version() + "/" + modelId;
    return new FileProcessor(
        options.scan().maxFileSize(),
        options.embed(),
        modelId,
        pipelineVersion,
        Extractors.standard(),
        chunker,
        (file, limit) -> {
          byte[] content = reader.read(file, limit);
          ledger.bytesRead(content.length);
          return content;
        });
  }
}
