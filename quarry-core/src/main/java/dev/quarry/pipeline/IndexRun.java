package dev.quarry.pipeline;

import dev.quarry.cache.ModelKey;
import dev.quarry.cache.TieredVectorCache;
import dev.quarry.chunk.Chunk;
import dev.quarry.chunk.Chunker;
import dev.quarry.chunk.Chunkers;
import dev.quarry.embed.EmbeddedChunk;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.extract.Extractors;
import dev.quarry.index.IndexMetadata;
import dev.quarry.index.ManifestEntry;
import dev.quarry.index.ManifestSnapshot;
import dev.quarry.index.QuarryIndex;
import dev.quarry.scan.PathExaminer;
import dev.quarry.scan.ScannedFile;
import dev.quarry.scan.SkipReason;
import dev.quarry.scan.TreeScanner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One indexing run: scan the roots, find what changed since the manifest, extract, chunk, embed
 * and index what did, remove what is gone, commit.
 *
 * <p>Stages run on their own threads, connected by queues bounded by count and by bytes, so memory
 * does not grow with the tree and a slow stage holds back the faster ones:
 *
 * <pre>
 *   walker ─► workers (change detection, read, extract, chunk, write text) ─► indexer ─► embedder
 *                                                                               vector writer ◄─┘
 * </pre>
 *
 * Workers write each changed file's text at once (lexical search does not wait for vectors). The
 * indexer keeps the books (outcomes, commits, deletions) and hands files that still need vectors
 * to the embedder; the vector writer rewrites them with their vectors while the model embeds the
 * next batch. Vectors are looked up by chunk hash before the model is asked, so renamed, copied
 * and partly edited files and repeated chunks (license headers) are embedded once.
 *
 * <p>Unchanged files (same size and mtime) are not read; files whose stat changed are hashed and
 * only re-chunked when their content changed. One run at a time per index (the index's write lock).
 *
 * <p>Crash safety: every file's chunks and manifest entry are written in one atomic block, and
 * commits come every {@link IndexOptions#commitInterval()} or {@link IndexOptions#commitChunks()},
 * whichever is first. A run killed at any moment leaves its last commit, in which each file is
 * either as before or fully written (text, and vectors or a manifest saying they are owed); the
 * next run finds the rest changed and finishes it, reusing every committed vector. Deletions come
 * last, only after a complete walk, so an interrupted walk never removes a file it did not reach.
 * {@link #cancel()} stops a run the same way, gracefully: it commits what is done and reports the
 * run as interrupted.
 */
public final class IndexRun {
  /** A worker passes its results on before they hold more text than this. */
  private static final long WORK_BATCH_BYTES = 4L << 20;
  /**
   * Scan batches waiting for a worker: many files, so the walk can run ahead while the manifest
   * loads (a no-op run is mostly walk); bounded by bytes too, with long paths.
   */
  private static final int SCAN_QUEUE_BATCHES = 256;
  private static final long SCAN_QUEUE_BYTES = 16L << 20;
  /** Items waiting in the later queues; their byte bounds are the ones that matter. */
  private static final int SCAN_QUEUE_ITEMS = 4096;
  /** Chunked files waiting for the indexer: bounded by the text they hold. */
  private static final long WORK_QUEUE_BYTES = 32L << 20;
  /** Files waiting for vectors. */
  private static final long EMBED_QUEUE_BYTES = 32L << 20;

  private final IndexOptions options;
  private final QuarryIndex index;
  private final EmbeddingModel model; // null when options.embed() is false
  private final RunListener listener;
  private final Clock clock;
  private final String modelId;
  private final FileProcessor processor;
  private final Counts counts = new Counts();
  /**
   * Vectors already computed, by model and chunk hash: in memory for this run (identical chunks
   * embed once), and on disk or a server for every run of every index (see dev.quarry.cache).
   */
  private TieredVectorCache cache = TieredVectorCache.memoryOnly();
  private final ModelKey modelKey; // null when not embedding
  private final AtomicReference<Throwable> fatal = new AtomicReference<>();
  private final LongAdder bytesRead = new LongAdder();
  private final StageMeter scanMeter;
  private final StageMeter workMeter;
  private final StageMeter indexMeter;
  private final PipelineMetrics metrics;
  /** Chunks written without vectors whose vectors are not written yet. */
  private final AtomicLong embedBacklog = new AtomicLong();
  private final StageMeter embedMeter = new StageMeter("embed", 1);
  /** Chunks written since the last commit: the other trigger of a commit, besides time. */
  private final AtomicLong chunksSinceCommit = new AtomicLong();
  private volatile boolean cancelled;
  /** The walk went through every root to the end: only then may unseen files be deleted. */
  private volatile boolean walkCompleted;
  /** The change list of a sync run; null for a walk of the roots. */
  private Iterator<ChangeRequest> changes;

  /**
   * @param model the embedding model, or null for a lexical-only run ({@code options.embed()}
   *     false)
   * @param chunker the chunker, bounded by the model's tokens
   * @param modelId the identity of the model whose tokenizer the chunker uses (and whose vectors
   *     the index holds)
   */
  public IndexRun(IndexOptions options, QuarryIndex index, EmbeddingModel model, Chunker chunker, String modelId,
      RunListener listener, Clock clock) {
    this(options, index, model, chunker, modelId, listener, clock, Metrics.globalRegistry);
  }

  /** As above, recording the run's meters into {@code registry} (see {@link PipelineMetrics}). */
  public IndexRun(IndexOptions options, QuarryIndex index, EmbeddingModel model, Chunker chunker, String modelId,
      RunListener listener, Clock clock, MeterRegistry registry) {
    this(options, index, model, chunker, modelId, listener, clock, registry, IndexRun::readCapped);
  }

  /** As the public constructor, reading file content through {@code reader} (tests inject faults). */
  IndexRun(IndexOptions options, QuarryIndex index, EmbeddingModel model, Chunker chunker, String modelId,
      RunListener listener, Clock clock, MeterRegistry registry, ContentReader reader) {
    if (options.embed() && model == null) {
      throw new IllegalArgumentException("an embedding run needs a model");
    }
    this.options = options;
    this.index = index;
    this.model = options.embed() ? model : null;
    this.modelKey = this.model == null ? null : ModelKey.of(this.model.identity());
    this.modelId = modelId;
    this.listener = listener;
    this.clock = clock;
    this.scanMeter = new StageMeter("scan", options.scan().parallelism());
    this.metrics = new PipelineMetrics(registry);
    this.workMeter = new StageMeter("read+extract+chunk+write", options.workers(), metrics.stageTimer("work"));
    this.indexMeter = new StageMeter("index", 1, metrics.stageTimer("index"));
    String pipelineVersion = Extractors.VERSION + "/" + Chunkers.VERSION + "/" + modelId;
    this.processor = new FileProcessor(options.scan().maxFileSize(), options.embed(), modelId, pipelineVersion,
        Extractors.standard(), chunker, (file, limit) -> {
          byte[] content = reader.read(file, limit);
          bytesRead.add(content.length);
          metrics.bytesRead(content.length);
          return content;
        });
  }

  /**
   * Makes the run look vectors up in, and store them into, {@code vectorCache} (the caller keeps
   * and closes it) instead of a cache of its own in memory.
   */
  public IndexRun usingCache(TieredVectorCache vectorCache) {
    this.cache = vectorCache;
    return this;
  }

  /** Reads a file's content, at most {@code limit} bytes. */
  @FunctionalInterface
  interface ContentReader {
    byte[] read(ScannedFile file, long limit) throws IOException;
  }

  /**
   * Reads at most {@code limit} bytes: called with one byte past the size cap, so a file that grew
   * past the cap since the scan is caught without reading all of it.
   */
  private static byte[] readCapped(ScannedFile file, long limit) throws IOException {
    try (InputStream in = Files.newInputStream(file.path())) {
      return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit));
    }
  }

  /**
   * Walks the roots to the end (or until {@link #cancel()}) and commits. Bad files are counted in
   * the summary; only index I/O throws.
   */
  public RunSummary run() throws IOException, InterruptedException {
    return execute();
  }

  /**
   * Applies a change list instead of walking: each listed path's state on disk decides (a file is
   * indexed or found unchanged, a missing or now ignored one leaves the index); nothing else is
   * touched. Bad records become failures naming their line; the others still apply.
   */
  public RunSummary sync(Iterator<ChangeRequest> changeList) throws IOException, InterruptedException {
    this.changes = changeList;
    return execute();
  }

  /**
   * Stops the run as soon as it can, gracefully: no new file is started, what is written is
   * committed, deletions are not applied (the walk is incomplete), and the summary says
   * interrupted. Callable from any thread, e.g. a Ctrl-C handler.
   */
  public void cancel() {
    cancelled = true;
  }

  private String kind() {
    return changes == null ? "index" : "sync";
  }

  private RunSummary execute() throws IOException, InterruptedException {
    Instant started = clock.instant();
    long startNanos = System.nanoTime();
    Map<String, String> commitData = index.commitData();
    checkFormat(commitData);
    checkModel(commitData);
    RunIdentity identity = RunIdentity.claim(index, commitData, kind());
    // The manifest loads while the walk starts: workers wait for it, the walk fills its queue.
    FutureTask<ManifestSnapshot> manifest = new FutureTask<>(index::manifestSnapshot);
    Thread.ofPlatform().name("quarry-manifest").daemon().start(manifest);
    try {
      return run(manifest, identity, started, startNanos);
    } catch (IOException e) {
      recordFailure(identity, started, e);
      throw writeFailure(identity, e);
    } catch (RuntimeException | Error e) {
      recordFailure(identity, started, e);
      // A write that failed in another thread (a full disk during a flush) closes the writer; what
      // this thread sees is "this IndexWriter is closed". The user needs the first failure.
      Throwable tragedy = index.writeFailure();
      if (tragedy != null) {
        throw writeFailure(identity, tragedy);
      }
      throw e;
    } finally {
      closeWhenLoaded(manifest);
    }
  }

  private IOException writeFailure(RunIdentity identity, Throwable cause) {
    return new IOException("run " + identity.id() + " failed writing index " + index.directory() + ": "
        + cause.getMessage() + "; the index keeps its last commit: run again once the cause is fixed", cause);
  }


  /**
   * Commits what the failed run wrote (each file whole, so consistent) with a report saying it
   * failed. When even that fails (the disk is full), the lock keeps the run's name, and the next
   * run records it as interrupted.
   */
  private void recordFailure(RunIdentity identity, Instant started, Throwable failure) {
    try {
      String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
      commit(commitData(identity.commitData(), RunSummaryJson.unfinished(identity.id(), kind(), RunStatus.FAILED,
          started, "error: " + message)));
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
      index.lock().keepNameOnClose();
    }
  }

  private static ManifestSnapshot await(Future<ManifestSnapshot> manifest) throws IOException, InterruptedException {
    try {
      return manifest.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException("cannot load the manifest: " + e.getCause(), e.getCause());
    }
  }

  private static void closeWhenLoaded(Future<ManifestSnapshot> manifest) throws IOException {
    try {
      manifest.get().close();
    } catch (ExecutionException e) {
      // Nothing was loaded; the run reported the failure.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private RunSummary run(Future<ManifestSnapshot> manifest, RunIdentity identity, Instant started,
      long startNanos) throws IOException, InterruptedException {
    Map<String, String> commitData = identity.commitData();

    BoundedQueue<Object> scanQueue = new BoundedQueue<>(SCAN_QUEUE_BATCHES, SCAN_QUEUE_BYTES,
        item -> item instanceof Batch b ? b.bytes() : 1);
    BoundedQueue<Object> workQueue = new BoundedQueue<>(SCAN_QUEUE_ITEMS, WORK_QUEUE_BYTES,
        item -> item instanceof Batch b ? b.bytes() : 1);
    BoundedQueue<Object> embedQueue = new BoundedQueue<>(SCAN_QUEUE_ITEMS, EMBED_QUEUE_BYTES,
        item -> item instanceof PendingFile p ? p.bytes() : 1);

    metrics.watchQueue("scan", scanQueue);
    metrics.watchQueue("work", workQueue);
    metrics.watchQueue("embed", embedQueue);
    metrics.watchBacklog(embedBacklog::get);

    List<Thread> threads = new ArrayList<>();
    threads.add(daemon("quarry-scan", () -> walk(scanQueue)));
    for (int i = 0; i < options.workers(); i++) {
      threads.add(daemon("quarry-worker-" + i, () -> work(scanQueue, workQueue, manifest)));
    }
    // Embedded files wait here for the vector writer: two batches at most.
    BoundedQueue<Object> embeddedQueue = new BoundedQueue<>(2, Long.MAX_VALUE, item -> 1);
    Thread embedder = options.embed() ? daemon("quarry-embed", () -> embed(embedQueue, embeddedQueue)) : null;
    Thread vectorWriter = options.embed() ? daemon("quarry-embed-write", () -> writeEmbedded(embeddedQueue)) : null;
    threads.forEach(Thread::start);
    if (embedder != null) {
      embedder.start();
      vectorWriter.start();
    }
    try {
      Indexer indexer = new Indexer(manifest, commitData, embedQueue);
      indexer.run(workQueue);
      if (embedder != null) {
        putWhileHealthy(embedQueue, END);
        // Embedding outlasts the walk by far on a first index: keep the commit rhythm meanwhile,
        // or a crash would lose every vector computed since the walk ended.
        indexer.awaitCommitting(embedder);
        indexer.awaitCommitting(vectorWriter);
      }
      rethrowFatal();
      if (changes == null && walkCompleted && !cancelled) {
        indexer.deleteVanished();
      }
      double wall = (System.nanoTime() - startNanos) / 1e9;
      List<StageReport> stages = new ArrayList<>(List.of(
          scanMeter.report(wall, null),
          workMeter.report(wall, scanQueue.stats()),
          indexMeter.report(wall, workQueue.stats())));
      if (options.embed()) {
        stages.add(embedMeter.report(wall, embedQueue.stats()));
      }
      // Commit the run's changes first: the report counts what the index then holds. A run that
      // changed nothing (the usual re-index) skips this commit; its report is the only one.
      if (index.hasUncommittedChanges()) {
        commit(commitData(commitData, null));
      }
      RunStatus status = cancelled ? RunStatus.INTERRUPTED : RunStatus.COMPLETED;
      RunSummary summary = counts.summary(identity.id(), kind(), status, started, wall, index.stats().chunks(),
          bytesRead.sum(), stages, ResourceUsage.now(), model == null ? List.of() : cache.stats());
      commit(commitData(commitData, RunSummaryJson.write(summary)));
      metrics.runEnded(System.nanoTime() - startNanos);
      return summary;
    } finally {
      metrics.close();
      threads.forEach(Thread::interrupt);
      if (embedder != null) {
        embedder.interrupt();
        vectorWriter.interrupt();
      }
    }
  }

  private void commit(Map<String, String> commitData) throws IOException {
    long start = System.nanoTime();
    chunksSinceCommit.set(0);
    index.commit(commitData);
    metrics.committed(System.nanoTime() - start);
  }

  /** End of a stream of items on a queue. */
  private static final Object END = new Object();

  private Thread daemon(String name, ThrowingRunnable body) {
    return Thread.ofPlatform().name(name).daemon().unstarted(() -> {
      try {
        body.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Throwable t) {
        fatal.compareAndSet(null, t);
      }
    });
  }

  /**
   * Records a stage's failure before the stage signals its end downstream: a stage that put its
   * END first could let the indexer finish and delete every file the failed stage had not passed
   * on, before the failure was seen (it happened: a worker's error deleted a whole tree).
   */
  private void failed(Throwable t) {
    fatal.compareAndSet(null, t);
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  private void rethrowFatal() throws IOException {
    Throwable t = fatal.get();
    if (t instanceof IOException io) {
      throw io;
    }
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t instanceof Error err) {
      throw err;
    }
    if (t != null) {
      throw new IOException("indexing failed: " + t, t);
    }
  }

  /** Puts {@code item}, giving up with the cause when a stage died (nobody would ever take it). */
  private void putWhileHealthy(BoundedQueue<Object> queue, Object item) throws IOException, InterruptedException {
    while (!queue.offer(item, 200, TimeUnit.MILLISECONDS)) {
      rethrowFatal();
    }
  }

  // ---- stage 1: the walk ----

  private void walk(BoundedQueue<Object> scanQueue) throws Exception {
    long start = System.nanoTime();
    BatchingListener listener = new BatchingListener(scanQueue, scanMeter, () -> cancelled);
    try {
      if (changes == null) {
        TreeScanner.create(options.scan()).scan(options.roots(), listener);
      } else {
        new ChangeListWalk(new PathExaminer(options.scan(), options.roots()), listener).walk(changes, () -> cancelled);
      }
      listener.flushAll(); // the walk's threads are done: their last partial batches go now
      walkCompleted = !cancelled;
    } catch (RuntimeException e) {
      if (!cancelled) {
        failed(e);
        throw e;
      }
      // Cancelled: the walk stopped where it was (the parallel walk may wrap the cancellation).
      listener.flushAll();
    } catch (Exception | Error e) {
      failed(e);
      throw e;
    } finally {
      // Busy = the walking threads' time less the time they spent blocked on a full queue.
      long threadNanos = (System.nanoTime() - start) * options.scan().parallelism();
      scanMeter.busy(Math.max(0, threadNanos - scanQueue.stats().putWaitNanos()));
      for (int i = 0; i < options.workers(); i++) {
        scanQueue.put(END);
      }
    }
  }

  // ---- stage 2: the workers ----

  /**
   * Workers detect changes, read, extract and chunk, and write the result to the index themselves:
   * Lucene's analysis is the costliest part of lexical indexing, and {@code IndexWriter} takes
   * writes from many threads. The indexer only keeps the books.
   */
  private void work(BoundedQueue<Object> scanQueue, BoundedQueue<Object> workQueue,
      Future<ManifestSnapshot> loading) throws IOException, InterruptedException {
    try {
      ManifestSnapshot manifest = await(loading);
      Batch.Builder results = new Batch.Builder();
      while (fatal.get() == null) {
        Object item = scanQueue.take();
        if (item == END) {
          return;
        }
        if (cancelled) {
          continue; // drain the queue, so the walk's last puts never block
        }
        for (Object scanned : ((Batch) item).items()) {
          if (scanned instanceof Removal removal) {
            FileWork.ScanReport report = remove(removal, manifest);
            if (report != null) {
              results.add(report, 64);
            }
          } else if (scanned instanceof ScannedFile file) {
            long start = System.nanoTime();
            int slot = manifest.slotOf(fileId(file));
            FileWork work = processor.process(file, manifest, slot);
            Written written = writeInWorker(work, slot < 0);
            workMeter.record(System.nanoTime() - start);
            results.add(new Scanned(file, slot, work, written), work instanceof FileWork.Chunked c ? c.bytes() : 64);
          } else {
            results.add(scanned, 64);
          }
          // Chunks wait in a batch for the indexer (and the embedder): pass them on in good time.
          if (results.bytes() >= WORK_BATCH_BYTES) {
            workQueue.put(results.take());
          }
        }
        if (!results.isEmpty()) {
          workQueue.put(results.take());
        }
      }
    } catch (RuntimeException | Error | IOException e) {
      failed(e);
      throw e;
    } finally {
      workQueue.put(END);
    }
  }

  /** Removes a listed file from the index if it is there; returns what to report of it. */
  private FileWork.ScanReport remove(Removal removal, ManifestSnapshot manifest) throws IOException {
    if (manifest.slotOf(removal.file()) >= 0) {
      index.deleteFile(removal.file());
      return new FileWork.ScanReport(removal.ifIndexed(), null);
    }
    return removal.otherwise() == null ? null : new FileWork.ScanReport(removal.otherwise(), null);
  }

  /**
   * A worker's result with the file it is about, its manifest slot (-1: new) and what it wrote of
   * it (null if nothing).
   */
  private record Scanned(ScannedFile file, int slot, FileWork work, Written written) {}

  /**
   * What a worker wrote for a changed file: either final ({@code pending} null: the chunks have
   * every vector they will get), or text only, with the vectors still owed.
   */
  private record Written(ManifestEntry entry, int chunks, int reused, PendingFile pending) {}

  /** Writes what a worker found; {@code isNew}: the file is not in the last commit. */
  private Written writeInWorker(FileWork work, boolean isNew) throws IOException {
    switch (work) {
      case FileWork.Unchanged u -> {
        if (u.restat() != null) {
          index.updateManifest(u.restat());
        }
        return null;
      }
      case FileWork.NotIndexed n -> {
        if (n.staleFile() != null) {
          index.deleteFile(n.staleFile());
        }
        return null;
      }
      case FileWork.Chunked c -> {
        return write(c, isNew);
      }
      case FileWork.ScanReport r -> throw new IllegalStateException("scan reports carry no file: " + r);
    }
  }

  /** Writes a changed file: final when every vector is known (or none is wanted), else text first. */
  private Written write(FileWork.Chunked work, boolean isNew) throws IOException {
    List<Chunk> chunks = work.chunks();
    float[][] vectors = new float[chunks.size()][];
    if (!options.embed()) {
      writeFirst(work.entry(), embeddedChunks(chunks, vectors), isNew);
      return new Written(work.entry(), chunks.size(), 0, null);
    }
    Map<String, float[]> known = knownVectors(chunks);
    int missing = 0;
    for (int i = 0; i < chunks.size(); i++) {
      vectors[i] = known.get(chunks.get(i).hash());
      if (vectors[i] == null) {
        missing++;
      }
    }
    if (missing == 0) {
      writeFirst(work.entry(), embeddedChunks(chunks, vectors), isNew);
      return new Written(work.entry(), chunks.size(), chunks.size(), null);
    }
    // Lexical first: the text is searchable now; the manifest says the vectors are still owed, so
    // a run interrupted before they come computes them next time.
    writeFirst(work.entry().withModel(""), embeddedChunks(chunks, new float[chunks.size()][]), isNew);
    return new Written(work.entry(), chunks.size(), 0,
        new PendingFile(work.entry(), chunks, vectors, missing, work.bytes()));
  }

  /**
   * A worker's write of a changed file: a file new to the index is added without the delete by
   * term (each file is written by one worker once; a later rewrite with vectors replaces it).
   */
  private void writeFirst(ManifestEntry entry, List<EmbeddedChunk> chunks, boolean isNew) throws IOException {
    chunksSinceCommit.addAndGet(chunks.size());
    if (isNew) {
      index.addNewFile(entry, chunks);
    } else {
      index.replaceFile(entry, chunks);
    }
  }

  // ---- stage 3: the indexer (the calling thread) ----

  private final class Indexer {
    private final Future<ManifestSnapshot> manifest;
    private final Map<String, String> previousCommitData;
    private final BoundedQueue<Object> embedQueue;
    /** Manifest slots of the files this run found (still there, whatever their state). */
    private final BitSet seen = new BitSet();
    private final Set<String> skippedPaths = new HashSet<>();
    /** What the scan could not read, root-relative, by root: what was indexed there is kept. */
    private final Map<String, List<String>> unreadable = new HashMap<>();
    private long lastCommit = System.nanoTime();

    Indexer(Future<ManifestSnapshot> manifest, Map<String, String> previousCommitData,
        BoundedQueue<Object> embedQueue) {
      this.manifest = manifest;
      this.previousCommitData = previousCommitData;
      this.embedQueue = embedQueue;
    }

    void run(BoundedQueue<Object> workQueue) throws IOException, InterruptedException {
      int finishedWorkers = 0;
      while (finishedWorkers < options.workers()) {
        Object item = workQueue.poll(1, TimeUnit.SECONDS);
        rethrowFatal();
        if (item == null) {
          continue;
        }
        if (item == END) {
          finishedWorkers++;
        } else {
          for (Object result : ((Batch) item).items()) {
            apply(result);
          }
        }
        maybeCommit();
      }
    }

    /** Waits for {@code stage} to end, committing on the run's rhythm meanwhile. */
    void awaitCommitting(Thread stage) throws IOException, InterruptedException {
      while (stage.isAlive()) {
        stage.join(100);
        rethrowFatal();
        maybeCommit();
      }
    }

    /** Commits when the interval has passed or enough chunks were written since the last commit. */
    private void maybeCommit() throws IOException {
      if (System.nanoTime() - lastCommit > options.commitInterval().toNanos()
          || chunksSinceCommit.get() >= options.commitChunks()) {
        long t = System.nanoTime();
        commit(commitData(previousCommitData, null));
        indexMeter.busy(System.nanoTime() - t);
        lastCommit = System.nanoTime();
      }
    }

    private void apply(Object result) throws IOException, InterruptedException {
      if (result instanceof Scanned scanned) {
        long start = System.nanoTime();
        apply(scanned);
        indexMeter.record(System.nanoTime() - start);
      } else if (result instanceof FileWork.ScanReport report) {
        if (report.unreadableUnder() != null) {
          unreadable.computeIfAbsent(report.unreadableUnder(), r -> new ArrayList<>()).add(report.outcome().path());
        } else {
          skippedPaths.add(report.outcome().path());
        }
        record(report.outcome());
      }
    }

    private void apply(Scanned scanned) throws IOException, InterruptedException {
      switch (scanned.work()) {
        case FileWork.Unchanged u -> {
          markSeen(scanned);
          record(u.outcome());
        }
        case FileWork.NotIndexed n -> {
          markSeen(scanned); // its fate is decided (a vanished file's chunks went in the worker)
          record(n.outcome());
        }
        case FileWork.Chunked c -> {
          markSeen(scanned);
          Written written = scanned.written();
          if (written.pending() != null) {
            embedBacklog.addAndGet(written.pending().owed());
            putWhileHealthy(embedQueue, written.pending());
            listener.onQueuedForEmbedding(written.pending().owed());
          } else {
            chunksWritten(written.chunks(), written.reused());
            record(new FileOutcome.Indexed(written.entry().path(), written.chunks(), 0, written.reused()));
          }
        }
        case FileWork.ScanReport r -> throw new IllegalStateException("scan reports carry no file: " + r);
      }
    }

    private void markSeen(Scanned scanned) {
      if (scanned.slot() >= 0) {
        seen.set(scanned.slot());
      }
    }

    /**
     * Removes files that were indexed under this run's roots and were not seen: deleted, renamed
     * away, newly ignored. Files under a directory the scan could not read are kept: unreadable is
     * not gone. A file the scan now skips (grown past the cap, replaced by a link) is removed
     * without a second outcome: it already has its skip.
     */
    void deleteVanished() throws IOException, InterruptedException {
      ManifestSnapshot manifest = await(this.manifest);
      Set<String> roots = new HashSet<>();
      options.roots().forEach(r -> roots.add(r.toString()));
      for (int slot = seen.nextClearBit(0); slot < manifest.size(); slot = seen.nextClearBit(slot + 1)) {
        if (!roots.contains(manifest.root(slot))) {
          continue;
        }
        ManifestEntry entry = manifest.entry(slot);
        if (underAny(entry.path(), unreadable.getOrDefault(manifest.root(slot), List.of()))) {
          continue;
        }
        index.deleteFile(entry.file());
        if (!skippedPaths.contains(entry.path())) {
          record(new FileOutcome.Deleted(entry.path()));
        }
      }
    }
  }

  /**
   * The vectors already known for these chunks: from the cache, else from the index's last commit
   * (a renamed, copied or partly edited file), which then goes into the cache too (so deleting the
   * index does not lose it).
   */
  private Map<String, float[]> knownVectors(List<Chunk> chunks) throws IOException {
    Set<String> hashes = new LinkedHashSet<>();
    chunks.forEach(c -> hashes.add(c.hash()));
    Map<String, float[]> known = new HashMap<>(cache.getAll(modelKey, hashes));
    Map<String, float[]> fromIndex = new HashMap<>();
    for (String hash : hashes) {
      if (!known.containsKey(hash)) {
        index.storedVector(hash).ifPresent(v -> fromIndex.put(hash, v));
      }
    }
    cache.putAll(modelKey, fromIndex);
    known.putAll(fromIndex);
    return known;
  }

  private void writeFinal(ManifestEntry entry, List<Chunk> chunks, float[][] vectors, int embedded, int reused)
      throws IOException {
    chunksSinceCommit.addAndGet(chunks.size());
    index.replaceFile(entry, embeddedChunks(chunks, vectors));
    chunksWritten(chunks.size(), reused);
    record(new FileOutcome.Indexed(entry.path(), chunks.size(), embedded, reused));
  }

  private void chunksWritten(int written, int reused) {
    counts.chunks(written, reused);
    metrics.chunks(written, reused);
  }

  private static List<EmbeddedChunk> embeddedChunks(List<Chunk> chunks, float[][] vectors) {
    List<EmbeddedChunk> out = new ArrayList<>(chunks.size());
    for (int i = 0; i < chunks.size(); i++) {
      out.add(new EmbeddedChunk(chunks.get(i), vectors[i]));
    }
    return out;
  }

  // ---- stage 4: the embedder ----

  /**
   * A file written without vectors, waiting for them; {@code vectors[i]} is null while owed, and
   * {@code owed} of them were when it was queued.
   */
  private record PendingFile(ManifestEntry entry, List<Chunk> chunks, float[][] vectors, int owed, long bytes) {}

  /** Files whose vectors are all known, to be written by the vector writer. */
  private record EmbeddedFiles(List<EmbeddedFile> files) {}

  private record EmbeddedFile(PendingFile file, int embedded, int reused) {}

  /**
   * Gathers batches of owed chunks, embeds them, and hands the finished files to a writer thread,
   * so the model is never idle while Lucene analyses and writes (two batches in flight at most).
   */
  private void embed(BoundedQueue<Object> embedQueue, BoundedQueue<Object> finished)
      throws IOException, InterruptedException {
    List<PendingFile> batch = new ArrayList<>();
    int owed = 0;
    while (true) {
      // Block for the first file of a batch; then take what is already there, up to the batch size.
      Object item = batch.isEmpty() ? embedQueue.take() : embedQueue.poll(0, TimeUnit.MILLISECONDS);
      if (cancelled) {
        // Files waiting for vectors are in the index as text, their manifest saying the vectors are
        // owed: the next run computes them. Stopping now is what the user asked for.
        if (item instanceof PendingFile file) {
          batch.add(file);
        }
        batch.forEach(this::leaveTextOnly);
        batch.clear();
        owed = 0;
        if (item == END) {
          putWhileHealthy(finished, END);
          return;
        }
        continue;
      }
      if (item instanceof PendingFile file) {
        batch.add(file);
        owed += file.owed();
        if (owed < options.embedBatchSize()) {
          continue;
        }
      }
      if (!batch.isEmpty()) {
        long start = System.nanoTime();
        EmbeddedFiles done = embedBatch(batch);
        embedMeter.busy(System.nanoTime() - start);
        putWhileHealthy(finished, done);
        batch.clear();
        owed = 0;
      }
      if (item == END) {
        putWhileHealthy(finished, END);
        return;
      }
    }
  }

  /** A file a cancelled run leaves searchable as text, its vectors owed to the next run. */
  private void leaveTextOnly(PendingFile file) {
    embedBacklog.addAndGet(-file.owed());
    chunksWritten(file.chunks().size(), 0);
    record(new FileOutcome.Indexed(file.entry().path(), file.chunks().size(), 0, 0));
  }

  /** Writes files whose vectors are complete, replacing their text-only version. */
  private void writeEmbedded(BoundedQueue<Object> finished) throws IOException, InterruptedException {
    while (true) {
      Object item = finished.take();
      if (item == END) {
        return;
      }
      long start = System.nanoTime();
      for (EmbeddedFile done : ((EmbeddedFiles) item).files()) {
        PendingFile file = done.file();
        writeFinal(file.entry(), file.chunks(), file.vectors(), done.embedded(), done.reused());
        embedBacklog.addAndGet(-file.owed());
      }
      indexMeter.busy(System.nanoTime() - start);
    }
  }

  /** Embeds what the batch owes and fills in every file's vectors. */
  private EmbeddedFiles embedBatch(List<PendingFile> batch) throws IOException {
    // What the batch owes; vectors computed since its files were written (by an earlier batch)
    // are in the cache by now.
    Map<String, String> owed = new LinkedHashMap<>();
    for (PendingFile file : batch) {
      for (int i = 0; i < file.chunks().size(); i++) {
        Chunk chunk = file.chunks().get(i);
        if (file.vectors()[i] == null) {
          owed.putIfAbsent(chunk.hash(), chunk.embeddingInput());
        }
      }
    }
    Map<String, float[]> known = cache.getAll(modelKey, owed.keySet());
    Map<String, String> inputs = new LinkedHashMap<>(owed);
    inputs.keySet().removeAll(known.keySet());
    Map<String, float[]> computed = new HashMap<>();
    if (!inputs.isEmpty()) {
      List<String> hashes = new ArrayList<>(inputs.keySet());
      long start = System.nanoTime();
      List<float[]> vectors = model.embed(new ArrayList<>(inputs.values()));
      metrics.embedded(hashes.size(), System.nanoTime() - start);
      for (int i = 0; i < hashes.size(); i++) {
        computed.put(hashes.get(i), vectors.get(i));
      }
      cache.putAll(modelKey, computed);
      counts.embeddedByModel(hashes.size());
      listener.onEmbedded(hashes.size());
      for (int i = 0; i < hashes.size(); i++) {
        embedMeter.record(0);
      }
    }
    Map<String, float[]> firstUse = new HashMap<>(computed);
    List<EmbeddedFile> done = new ArrayList<>(batch.size());
    for (PendingFile file : batch) {
      int embeddedHere = 0;
      int reused = 0;
      for (int i = 0; i < file.chunks().size(); i++) {
        if (file.vectors()[i] != null) {
          reused++;
          continue;
        }
        String hash = file.chunks().get(i).hash();
        float[] vector = firstUse.remove(hash); // a repeat of this chunk elsewhere counts as reused
        if (vector != null) {
          embeddedHere++;
        } else {
          vector = computed.containsKey(hash) ? computed.get(hash) : known.get(hash);
          reused++;
          if (vector == null) {
            throw new IllegalStateException("no vector for chunk " + hash + " of " + file.entry().path());
          }
        }
        file.vectors()[i] = vector;
      }
      done.add(new EmbeddedFile(file, embeddedHere, reused));
    }
    return new EmbeddedFiles(done);
  }

  // ---- shared ----

  private void checkFormat(Map<String, String> commitData) {
    String format = commitData.get(IndexMetadata.FORMAT);
    if (format != null && !format.equals(IndexMetadata.CURRENT_FORMAT)) {
      throw new IllegalStateException("index " + index.directory() + " has layout version " + format
          + ", this Quarry writes version " + IndexMetadata.CURRENT_FORMAT
          + "; delete the index directory and index again");
    }
  }

  private void checkModel(Map<String, String> commitData) {
    String indexed = commitData.get(IndexMetadata.MODEL);
    if (options.embed() && indexed != null && !indexed.equals(modelId)) {
      throw new IllegalStateException(
          "index " + index.directory() + " holds vectors of model '" + indexed
              + "', this run uses '" + modelId + "'; vectors of two models never mix: "
              + "index into a new --index directory, or delete this one");
    }
  }

  private Map<String, String> commitData(Map<String, String> previous, String runReport) {
    Map<String, String> changes = new HashMap<>();
    changes.put(IndexMetadata.FORMAT, IndexMetadata.CURRENT_FORMAT);
    Set<String> roots = new java.util.TreeSet<>(IndexMetadata.roots(previous));
    options.roots().forEach(r -> roots.add(r.toString()));
    changes.put(IndexMetadata.ROOTS, String.join("\n", roots));
    if (options.embed()) {
      changes.put(IndexMetadata.MODEL, modelId);
    }
    if (runReport != null) {
      changes.put(IndexMetadata.LAST_RUN, runReport);
      changes.put(IndexMetadata.RUNS, RunSummaryJson.prepend(runReport, previous.get(IndexMetadata.RUNS),
          IndexMetadata.RUN_HISTORY));
    }
    return IndexMetadata.with(previous, changes);
  }

  private static boolean underAny(String path, List<String> dirs) {
    for (String dir : dirs) {
      if (dir.equals(".") || path.equals(dir) || path.startsWith(dir + "/")) {
        return true;
      }
    }
    return false;
  }

  private void record(FileOutcome outcome) {
    counts.add(outcome);
    metrics.outcome(outcome);
    listener.onOutcome(outcome);
  }

  static String fileId(ScannedFile file) {
    return file.path().toString();
  }

  /** Running totals, updated by the indexer and the embedder. */
  private static final class Counts {
    private long indexed, unchanged, rehashed, deleted, skipped, failed;
    private long chunksWritten, chunksEmbedded, chunksReused;
    private final Map<SkipReason, Long> skippedByReason = new java.util.EnumMap<>(SkipReason.class);
    private final List<FileOutcome.Failed> failures = new CopyOnWriteArrayList<>();

    synchronized void add(FileOutcome outcome) {
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

    synchronized void chunks(int written, int reused) {
      chunksWritten += written;
      chunksReused += reused;
    }

    synchronized void embeddedByModel(int count) {
      chunksEmbedded += count;
    }

    synchronized RunSummary summary(long id, String kind, RunStatus status, Instant started, double wall,
        long chunksInIndex, long bytesRead, List<StageReport> stages, ResourceUsage resources,
        List<dev.quarry.cache.TierStats.Snapshot> cache) {
      return new RunSummary(id, kind, status, started, wall, indexed, unchanged, rehashed, deleted, skipped, failed,
          skippedByReason, failures, bytesRead, chunksWritten, chunksEmbedded, chunksReused, chunksInIndex,
          stages, resources, cache);
    }
  }

}
