package dev.quarry.pipeline;

import dev.quarry.cache.TieredVectorCache;
import dev.quarry.changes.ChangeRequest;
import dev.quarry.chunk.Chunker;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.scan.RegularFileOpener;
import dev.quarry.scan.ScannedFile;
import dev.quarry.store.IndexMetadata;
import dev.quarry.store.IndexStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * One indexing run: scan the roots, find what changed since the manifest, extract, chunk, embed and
 * index what did, remove what is gone, commit.
 *
 * <p>Stages run on their own threads, connected by queues bounded by count and by bytes, so memory
 * does not grow with the tree and a slow stage holds back the faster ones. Each queue carries its
 * own message type ({@link Messages}); a failing stage ends the run through {@link StageFailures}:
 *
 * <pre>
 *   {@link WalkStage} ─► {@link WorkerStage}s (detect, read, extract, chunk, write text) ─► {@link Books} ─► {@link EmbedStage}
 *                                                                        {@link VectorWriteStage} ◄─┘
 * </pre>
 *
 * Workers write each changed file's text at once (lexical search does not wait for vectors). The
 * books keep the counts ({@link Ledger}), commit on the run's rhythm ({@link CommitPolicy}) and
 * hand files that still need vectors to the embedder; the vector writer rewrites them with their
 * vectors while the model embeds the next batch. Vectors are looked up by chunk hash before the
 * model is asked ({@link VectorLookup}), so renamed, copied and partly edited files and repeated
 * chunks (license headers) are embedded once.
 *
 * <p>Unchanged files (same size and mtime) are not read; files whose stat changed are hashed and
 * only re-chunked when their content changed. One run at a time per index (the store's lock).
 *
 * <p>Crash safety: every file's chunks and manifest entry are written in one unit, and commits come
 * every {@link IndexOptions#commitInterval()} or {@link IndexOptions#commitChunks()}, whichever is
 * first. A run killed at any moment leaves its last commit, in which each file is either as before
 * or fully written (text, and vectors or a manifest saying they are owed); the next run finds the
 * rest changed and finishes it, reusing every committed vector. Deletions come last, only after a
 * complete walk, so an interrupted walk never removes a file it did not reach. {@link #cancel()}
 * stops a run the same way, gracefully: it commits what is done and reports the run as interrupted.
 */
final class IndexRun {
  private final IndexOptions options;
  private final IndexStore store;
  private final EmbeddingModel model; // null when options.embed() is false
  private final Chunker chunker;
  private final String modelId;
  private final RunListener listener;
  private final Clock clock;
  private final MeterRegistry registry;
  private final ContentReader reader;
  private TieredVectorCache cache = TieredVectorCache.memoryOnly();
  private volatile boolean cancelled;

  /**
   * @param model the embedding model, or null for a lexical-only run ({@code options.embed()}
   *     false)
   * @param chunker the chunker, bounded by the model's tokens
   * @param modelId the identity of the model whose tokenizer the chunker uses (and whose vectors
   *     the index holds)
   */
  public IndexRun(
      IndexOptions options,
      IndexStore store,
      EmbeddingModel model,
      Chunker chunker,
      String modelId,
      RunListener listener,
      Clock clock) {
    this(options, store, model, chunker, modelId, listener, clock, Metrics.globalRegistry);
  }

  /** As above, recording the run's meters into {@code registry} (see {@link PipelineMetrics}). */
  public IndexRun(
      IndexOptions options,
      IndexStore store,
      EmbeddingModel model,
      Chunker chunker,
      String modelId,
      RunListener listener,
      Clock clock,
      MeterRegistry registry) {
    this(
        options,
        store,
        model,
        chunker,
        modelId,
        listener,
        clock,
        registry,
        (file, limit) -> readCapped(file, limit, options.scan().followSymlinks()));
  }

  /**
   * As the public constructor, reading file content through {@code reader} (tests inject faults).
   */
  IndexRun(
      IndexOptions options,
      IndexStore store,
      EmbeddingModel model,
      Chunker chunker,
      String modelId,
      RunListener listener,
      Clock clock,
      MeterRegistry registry,
      ContentReader reader) {
    if (options.embed() && model == null) {
      throw new IllegalArgumentException("an embedding run needs a model");
    }
    FileMemory.requireHeapFor(options.scan().maxFileSize(), options.embed());
    this.options = options;
    this.store = store;
    this.model = options.embed() ? model : null;
    this.chunker = chunker;
    this.modelId = modelId;
    this.listener = listener;
    this.clock = clock;
    this.registry = registry;
    this.reader = reader;
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
  static byte[] readCapped(ScannedFile file, long limit, boolean followLinks) throws IOException {
    try (InputStream in = RegularFileOpener.open(file.path(), followLinks)) {
      return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit));
    }
  }

  /**
   * Walks the roots to the end (or until {@link #cancel()}) and commits. Bad files are counted in
   * the summary; only index I/O throws.
   */
  public RunSummary run() throws IOException, InterruptedException {
    return execute(null);
  }

  /**
   * Applies a change list instead of walking: each listed path's state on disk decides (a file is
   * indexed or found unchanged, a missing or now ignored one leaves the index); nothing else is
   * touched. Bad records become failures naming their line; the others still apply.
   */
  public RunSummary sync(Iterator<ChangeRequest> changeList)
      throws IOException, InterruptedException {
    return execute(changeList);
  }

  /**
   * Stops the run as soon as it can, gracefully: no new file is started, what is written is
   * committed, deletions are not applied (the walk is incomplete), and the summary says
   * interrupted. Callable from any thread, e.g. a Ctrl-C handler.
   */
  public void cancel() {
    cancelled = true;
  }

  /** The id of a scanned file in the store. */
  static String fileId(ScannedFile file) {
    return file.path().toString();
  }

  private RunSummary execute(Iterator<ChangeRequest> changes)
      throws IOException, InterruptedException {
    String kind = changes == null ? "index" : "sync";
    Instant started = clock.instant();
    long startNanos = System.nanoTime();
    Map<String, String> commitData = store.commitData();
    checkFormat(commitData);
    checkModel(commitData);
    RunIdentity identity = RunIdentity.claim(store, commitData, kind);
    PipelineMetrics metrics = new PipelineMetrics(registry);
    RunCommits commits =
        new RunCommits(
            store,
            new CommitPolicy(clock, options.commitInterval(), options.commitChunks()),
            metrics,
            options.roots(),
            options.embed() ? modelId : null,
            identity);
    try (ManifestLoad manifest = ManifestLoad.start(store)) {
      RunStages.Parts parts =
          new RunStages.Parts(
              options, store, model, chunker, modelId, listener, reader, cache, () -> cancelled);
      return new RunStages(parts, changes, kind, identity, manifest, commits, metrics)
          .run(started, startNanos);
    } catch (IOException e) {
      recordFailure(commits, identity, kind, started, e);
      throw writeFailure(identity, e);
    } catch (RuntimeException | Error e) {
      recordFailure(commits, identity, kind, started, e);
      // A write that failed in another thread (a full disk during a flush) closes the writer; what
      // this thread sees is "this IndexWriter is closed". The user needs the first failure.
      Throwable tragedy = store.writeFailure();
      if (tragedy != null) {
        throw writeFailure(identity, tragedy);
      }
      throw e;
    } finally {
      metrics.close();
    }
  }

  private IOException writeFailure(RunIdentity identity, Throwable cause) {
    return new IOException(
        "run "
            + identity.id()
            + " failed writing index "
            + store.location()
            + ": "
            + cause.getMessage()
            + "; the index keeps its last commit: run again once the cause is fixed",
        cause);
  }

  /**
   * Commits what the failed run wrote (each file whole, so consistent) with a report saying it
   * failed. When even that fails (the disk is full), the lock keeps the run's name, and the next
   * run records it as interrupted.
   */
  private void recordFailure(
      RunCommits commits, RunIdentity identity, String kind, Instant started, Throwable failure) {
    try {
      String message =
          failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
      commits.commit(
          RunReport.unfinished(
              identity.id(), kind, RunStatus.FAILED, started, "error: " + message));
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
      store.lock().keepNameOnClose();
    }
  }

  private void checkFormat(Map<String, String> commitData) {
    String format = commitData.get(IndexMetadata.FORMAT);
    if (format != null && !format.equals(IndexMetadata.CURRENT_FORMAT)) {
      throw new IllegalStateException(
          "index "
              + store.location()
              + " has layout version "
              + format
              + ", this Quarry writes version "
              + IndexMetadata.CURRENT_FORMAT
              + "; delete the index directory and index again");
    }
  }

  private void checkModel(Map<String, String> commitData) {
    String indexed = commitData.get(IndexMetadata.MODEL);
    if (options.embed() && indexed != null && !indexed.equals(modelId)) {
      throw new IllegalStateException(
          "index "
              + store.location()
              + " holds vectors of model '"
              + indexed
              + "', this run uses '"
              + modelId
              + "'; vectors of two models never mix: "
              + "index into a new --index directory, or delete this one");
    }
  }
}
