package dev.quarry.pipeline;

import dev.quarry.chunk.Chunk;
import dev.quarry.chunk.Chunker;
import dev.quarry.chunk.Chunkers;
import dev.quarry.embed.EmbeddedChunk;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.extract.ExtractedDocument;
import dev.quarry.extract.Extraction;
import dev.quarry.extract.ExtractionException;
import dev.quarry.extract.Extractor;
import dev.quarry.extract.Extractors;
import dev.quarry.index.IndexMetadata;
import dev.quarry.index.ManifestEntry;
import dev.quarry.index.QuarryIndex;
import dev.quarry.scan.ScanListener;
import dev.quarry.scan.ScannedFile;
import dev.quarry.scan.SkipReason;
import dev.quarry.scan.TreeScanner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One indexing run: scan the roots, find what changed since the manifest, extract, chunk, embed
 * and index what did, remove what is gone, commit.
 *
 * <p>The scan runs on its own thread and hands files over through a bounded queue, so memory does
 * not grow with the tree. Unchanged files (same size and mtime) are not read; files whose stat
 * changed are hashed and only re-chunked when their content changed. Vectors are looked up by chunk
 * hash before the model is asked, so renamed, copied and partly edited files re-embed only their new
 * chunks.
 *
 * <p>Not thread-safe: one run, one thread (the index's write lock keeps other processes out).
 */
public final class IndexRun {
  /** Chunks gathered before one call to the model: enough to batch well, few enough to stay small. */
  private static final int EMBED_BATCH_CHUNKS = 64;
  /** Files waiting between the walker and the indexer. */
  private static final int SCAN_QUEUE_CAPACITY = 1024;
  /** Vectors computed in this run, by chunk hash: identical chunks in one run embed once. */
  private static final int RUN_VECTOR_CACHE_ENTRIES = 20_000;

  private final IndexOptions options;
  private final QuarryIndex index;
  private final EmbeddingModel model; // null when options.embed() is false
  private final Chunker chunker;
  private final Extractor extractor = Extractors.standard();
  private final RunListener listener;
  private final Clock clock;
  private final String pipelineVersion;
  private final String modelId;
  private final ContentReader reader;

  private final Map<String, float[]> runVectors =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
          return size() > RUN_VECTOR_CACHE_ENTRIES;
        }
      };
  private final List<PendingFile> pending = new ArrayList<>();
  private int pendingToEmbed;
  private final Counts counts = new Counts();

  /**
   * @param model the embedding model, or null for a lexical-only run ({@code options.embed()}
   *     false); its tokenizer must be {@code tokenizer}
   * @param chunker the chunker, bounded by the model's tokens
   */
  public IndexRun(
      IndexOptions options,
      QuarryIndex index,
      EmbeddingModel model,
      Chunker chunker,
      String modelId,
      RunListener listener,
      Clock clock) {
    this(options, index, model, chunker, modelId, listener, clock, IndexRun::readCapped);
  }

  /** As the public constructor, reading file content through {@code reader} (tests inject faults). */
  IndexRun(
      IndexOptions options,
      QuarryIndex index,
      EmbeddingModel model,
      Chunker chunker,
      String modelId,
      RunListener listener,
      Clock clock,
      ContentReader reader) {
    if (options.embed() && model == null) {
      throw new IllegalArgumentException("an embedding run needs a model");
    }
    this.options = options;
    this.index = index;
    this.model = options.embed() ? model : null;
    this.chunker = chunker;
    this.modelId = modelId;
    this.listener = listener;
    this.clock = clock;
    this.reader = reader;
    this.pipelineVersion = Extractors.VERSION + "/" + Chunkers.VERSION + "/" + modelId;
  }

  /** Runs to the end and commits. Bad files are counted in the summary; only index I/O throws. */
  public RunSummary run() throws IOException, InterruptedException {
    Instant started = clock.instant();
    long startNanos = System.nanoTime();
    Map<String, String> commitData = index.commitData();
    checkModel(commitData);
    Map<String, ManifestEntry> manifest = index.loadManifest();
    Set<String> seen = new HashSet<>();
    List<String> failedDirectories = new ArrayList<>();
    Set<String> skippedPaths = new HashSet<>();
    long lastCommit = System.nanoTime();

    BlockingQueue<Object> queue = new ArrayBlockingQueue<>(SCAN_QUEUE_CAPACITY);
    Object endOfScan = new Object();
    AtomicReference<Throwable> scanError = new AtomicReference<>();
    Thread walker = Thread.ofPlatform().name("quarry-scan").daemon().start(() -> {
      try {
        TreeScanner.create(options.scan()).scan(options.roots(), new QueueingListener(queue));
      } catch (Throwable t) {
        scanError.set(t);
      } finally {
        putUninterruptibly(queue, endOfScan);
      }
    });

    try {
      while (true) {
        Object item = queue.take();
        if (item == endOfScan) {
          break;
        }
        switch (item) {
          case ScannedFile file -> {
            seen.add(fileId(file));
            process(file, manifest.get(fileId(file)), seen);
          }
          case ScanEvent.Skipped s -> {
            skippedPaths.add(s.path());
            record(new FileOutcome.Skipped(s.path(), s.reason()));
          }
          case ScanEvent.Failed f -> {
            failedDirectories.add(f.path());
            record(new FileOutcome.Failed(f.path(), f.cause()));
          }
          default -> throw new IllegalStateException("unexpected scan item " + item);
        }
        if (System.nanoTime() - lastCommit > options.commitInterval().toNanos()) {
          flushPending();
          index.commit(commitData(commitData, null));
          lastCommit = System.nanoTime();
        }
      }
    } finally {
      walker.interrupt();
    }
    walker.join();
    if (scanError.get() != null) {
      throw new IOException("scan failed: " + scanError.get().getMessage(), scanError.get());
    }
    flushPending();
    deleteVanished(manifest, seen, skippedPaths, failedDirectories);

    double wall = (System.nanoTime() - startNanos) / 1e9;
    RunSummary partial = counts.summary(started, wall, 0);
    index.commit(commitData(commitData, partial));
    long chunksInIndex = index.stats().chunks();
    return counts.summary(started, (System.nanoTime() - startNanos) / 1e9, chunksInIndex);
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

  private Map<String, String> commitData(Map<String, String> previous, RunSummary summary) {
    Map<String, String> changes = new HashMap<>();
    changes.put(IndexMetadata.FORMAT, IndexMetadata.CURRENT_FORMAT);
    Set<String> roots = new java.util.TreeSet<>(IndexMetadata.roots(previous));
    options.roots().forEach(r -> roots.add(r.toString()));
    changes.put(IndexMetadata.ROOTS, String.join("\n", roots));
    if (options.embed()) {
      changes.put(IndexMetadata.MODEL, modelId);
    }
    if (summary != null) {
      changes.put(IndexMetadata.LAST_RUN, RunSummaryJson.write(summary));
    }
    return IndexMetadata.with(previous, changes);
  }

  private void process(ScannedFile file, ManifestEntry old, Set<String> seen) throws IOException {
    String id = fileId(file);
    boolean upToDate = old != null && old.pipeline().equals(pipelineVersion) && vectorsOk(old);
    if (upToDate && old.statMatches(file.size(), file.mtimeMillis())) {
      record(new FileOutcome.Unchanged(file.relativePath(), false));
      return;
    }
    byte[] content;
    try {
      content = reader.read(file, options.scan().maxFileSize() + 1);
    } catch (NoSuchFileException e) {
      seen.remove(id); // gone: the deletion pass removes what was indexed of it
      record(new FileOutcome.Failed(file.relativePath(), "deleted while the run was reading the tree"));
      return;
    } catch (AccessDeniedException e) {
      record(new FileOutcome.Failed(file.relativePath(), "permission denied"));
      return;
    } catch (IOException e) {
      record(new FileOutcome.Failed(file.relativePath(), "cannot read: " + e.getMessage()));
      return;
    }
    counts.bytesRead += content.length;
    if (content.length > options.scan().maxFileSize()) {
      removeIfIndexed(old);
      record(new FileOutcome.Skipped(file.relativePath(), SkipReason.TOO_LARGE));
      return;
    }
    String contentHash = sha256(content);
    ManifestEntry current = new ManifestEntry(
        id, file.root().toString(), file.relativePath(), content.length, file.mtimeMillis(),
        file.fileKey(), contentHash, 0, "", pipelineVersion, options.embed() ? modelId : "");
    if (upToDate && old.contentHash().equals(contentHash)) {
      index.updateManifest(old.withStat(content.length, file.mtimeMillis(), file.fileKey()));
      record(new FileOutcome.Unchanged(file.relativePath(), true));
      return;
    }
    ExtractedDocument document;
    try {
      Extraction extraction = extractor.extract(file.relativePath(), content);
      if (extraction instanceof Extraction.Skip skip) {
        removeIfIndexed(old);
        record(new FileOutcome.Skipped(file.relativePath(), skip.reason()));
        return;
      }
      document = ((Extraction.Text) extraction).document();
    } catch (ExtractionException e) {
      removeIfIndexed(old);
      record(new FileOutcome.Failed(file.relativePath(), e.getMessage()));
      return;
    } catch (RuntimeException e) {
      // An extractor bug must not end the run: the file is counted as failed with the cause.
      removeIfIndexed(old);
      record(new FileOutcome.Failed(file.relativePath(), "extraction error: " + e));
      return;
    }
    List<Chunk> chunks = chunker.chunk(file.relativePath(), document);
    ManifestEntry entry = new ManifestEntry(
        current.file(), current.root(), current.path(), current.size(), current.mtimeMillis(),
        current.fileKey(), contentHash, chunks.size(), document.language(), pipelineVersion,
        current.model());
    addPending(entry, chunks);
  }

  private boolean vectorsOk(ManifestEntry old) {
    return !options.embed() || old.model().equals(modelId);
  }

  private void removeIfIndexed(ManifestEntry old) throws IOException {
    if (old != null) {
      index.deleteFile(old.file());
    }
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

  /** A file whose chunks wait for their vectors. */
  private record PendingFile(ManifestEntry entry, List<Chunk> chunks, float[][] vectors, int[] reused) {}

  private void addPending(ManifestEntry entry, List<Chunk> chunks) throws IOException {
    float[][] vectors = new float[chunks.size()][];
    int reused = 0;
    if (options.embed()) {
      for (int i = 0; i < chunks.size(); i++) {
        String hash = chunks.get(i).hash();
        float[] known = runVectors.get(hash);
        if (known == null) {
          known = index.storedVector(hash).orElse(null);
          if (known != null) {
            runVectors.put(hash, known);
          }
        }
        if (known != null) {
          vectors[i] = known;
          reused++;
        } else {
          pendingToEmbed++;
        }
      }
    }
    pending.add(new PendingFile(entry, chunks, vectors, new int[] {reused}));
    if (pendingToEmbed >= EMBED_BATCH_CHUNKS || !options.embed()) {
      flushPending();
    }
  }

  private void flushPending() throws IOException {
    if (pending.isEmpty()) {
      return;
    }
    Map<String, float[]> computed = embedMissing();
    for (PendingFile file : pending) {
      List<EmbeddedChunk> embedded = new ArrayList<>(file.chunks().size());
      int embeddedHere = 0;
      for (int i = 0; i < file.chunks().size(); i++) {
        Chunk chunk = file.chunks().get(i);
        float[] vector = file.vectors()[i];
        if (vector == null && options.embed()) {
          vector = computed.get(chunk.hash());
          embeddedHere++;
        }
        embedded.add(new EmbeddedChunk(chunk, vector));
      }
      index.replaceFile(file.entry(), embedded);
      counts.chunksWritten += embedded.size();
      counts.chunksReused += file.reused()[0];
      record(new FileOutcome.Indexed(file.entry().path(), embedded.size(), embeddedHere, file.reused()[0]));
    }
    pending.clear();
    pendingToEmbed = 0;
  }

  /** Embeds every distinct chunk text of the pending files that has no vector yet. */
  private Map<String, float[]> embedMissing() {
    Map<String, float[]> computed = new HashMap<>();
    if (!options.embed()) {
      return computed;
    }
    Map<String, String> inputs = new LinkedHashMap<>();
    for (PendingFile file : pending) {
      for (int i = 0; i < file.chunks().size(); i++) {
        if (file.vectors()[i] == null) {
          Chunk chunk = file.chunks().get(i);
          inputs.putIfAbsent(chunk.hash(), chunk.embeddingInput());
        }
      }
    }
    if (inputs.isEmpty()) {
      return computed;
    }
    List<String> hashes = new ArrayList<>(inputs.keySet());
    List<float[]> vectors = model.embed(new ArrayList<>(inputs.values()));
    for (int i = 0; i < hashes.size(); i++) {
      computed.put(hashes.get(i), vectors.get(i));
      runVectors.put(hashes.get(i), vectors.get(i));
    }
    counts.chunksEmbedded += hashes.size();
    listener.onEmbedded(hashes.size());
    return computed;
  }

  /**
   * Removes files that were indexed under this run's roots and were not seen: deleted, renamed
   * away, newly ignored. Files under a directory the scan could not read are kept: unreadable is
   * not gone. A file the scan now skips (grown past the cap, replaced by a link) is removed without
   * a second outcome: it already has its skip.
   */
  private void deleteVanished(Map<String, ManifestEntry> manifest, Set<String> seen, Set<String> skipped,
      List<String> failedDirs) throws IOException {
    Set<String> roots = new HashSet<>();
    options.roots().forEach(r -> roots.add(r.toString()));
    for (ManifestEntry entry : manifest.values()) {
      if (seen.contains(entry.file()) || !roots.contains(entry.root()) || underAny(entry.path(), failedDirs)) {
        continue;
      }
      index.deleteFile(entry.file());
      if (!skipped.contains(entry.path())) {
        record(new FileOutcome.Deleted(entry.path()));
      }
    }
  }

  private static boolean underAny(String path, List<String> dirs) {
    for (String dir : dirs) {
      if (path.equals(dir) || path.startsWith(dir + "/")) {
        return true;
      }
    }
    return false;
  }

  private void record(FileOutcome outcome) {
    counts.add(outcome);
    listener.onOutcome(outcome);
  }

  static String fileId(ScannedFile file) {
    return file.path().toString();
  }

  static String sha256(byte[] content) {
    try {
      return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  private static void putUninterruptibly(BlockingQueue<Object> queue, Object item) {
    boolean interrupted = false;
    while (true) {
      try {
        queue.put(item);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Skips and failures reported by the scan, passed through the same queue as files. */
  private sealed interface ScanEvent {
    record Skipped(String path, SkipReason reason) implements ScanEvent {}

    record Failed(String path, String cause) implements ScanEvent {}
  }

  /** Puts everything the scan reports on the queue, blocking when it is full (backpressure). */
  private record QueueingListener(BlockingQueue<Object> queue) implements ScanListener {
    @Override
    public void onFile(ScannedFile file) {
      put(file);
    }

    @Override
    public void onSkipped(String relativePath, SkipReason reason) {
      put(new ScanEvent.Skipped(relativePath, reason));
    }

    @Override
    public void onFailed(String relativePath, String cause) {
      put(new ScanEvent.Failed(relativePath, cause));
    }

    private void put(Object item) {
      try {
        queue.put(item);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("scan interrupted", e);
      }
    }
  }

  /** Running totals. */
  private static final class Counts {
    long indexed, unchanged, rehashed, deleted, skipped, failed;
    long bytesRead, chunksWritten, chunksEmbedded, chunksReused;
    final Map<SkipReason, Long> skippedByReason = new EnumMap<>(SkipReason.class);
    final List<FileOutcome.Failed> failures = new ArrayList<>();

    void add(FileOutcome outcome) {
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

    RunSummary summary(Instant started, double wall, long chunksInIndex) {
      return new RunSummary(started, wall, indexed, unchanged, rehashed, deleted, skipped, failed,
          skippedByReason, failures, bytesRead, chunksWritten, chunksEmbedded, chunksReused, chunksInIndex);
    }
  }
}
