package dev.quarry.pipeline;

import dev.quarry.cache.CacheSettings;
import dev.quarry.chunk.ChunkerKind;
import dev.quarry.scan.ScanOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What to index, where, and how.
 *
 * @param roots directories to index (absolute, normalised)
 * @param indexDir where the index lives
 * @param scan how to walk the roots
 * @param embed whether to compute vectors (false: lexical only; vectors can be added by a later
 *     run)
 * @param model the embedding model's name (see {@code EmbeddingModels})
 * @param threads threads for the embedding model
 * @param commitInterval the longest time between commits; a crash loses at most this much work
 * @param commitChunks the most chunks written between commits (the other bound on lost work)
 * @param workers threads that read, extract and chunk files in parallel
 * @param embedBatchSize chunks gathered for one call to the embedding model
 * @param cache the embedding cache's tiers
 * @param chunker how code is chunked (by lines, or along its syntax)
 */
public record IndexOptions(
    List<Path> roots,
    Path indexDir,
    ScanOptions scan,
    boolean embed,
    String model,
    int threads,
    Duration commitInterval,
    int commitChunks,
    int workers,
    int embedBatchSize,
    CacheSettings cache,
    ChunkerKind chunker) {

  /**
   * A commit per 100k chunks: about one a minute for a lexical first index on two cores. Each
   * commit flushes small segments that later merge, so much more often costs indexing speed.
   */
  public static final int DEFAULT_COMMIT_CHUNKS = 100_000;

  public IndexOptions {
    roots = List.copyOf(roots);
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("at least one root is needed");
    }
    // Each file is scanned once per run (the pipeline relies on it): roots must not overlap.
    for (int i = 0; i < roots.size(); i++) {
      for (int j = 0; j < roots.size(); j++) {
        Path a = roots.get(i);
        Path b = roots.get(j);
        if (i != j && b.startsWith(a)) {
          throw new IllegalArgumentException(
              a.equals(b)
                  ? "root " + a + " is given twice"
                  : "root " + b + " is inside root " + a + "; give only " + a);
        }
      }
    }
    Objects.requireNonNull(indexDir, "indexDir");
    Objects.requireNonNull(scan, "scan");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(chunker, "chunker");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    if (embedBatchSize < 1) {
      throw new IllegalArgumentException(
          "embedBatchSize must be at least 1, got " + embedBatchSize);
    }
    if (commitChunks < 1) {
      throw new IllegalArgumentException("commitChunks must be at least 1, got " + commitChunks);
    }
    if (commitInterval.isNegative() || commitInterval.isZero()) {
      throw new IllegalArgumentException("commitInterval must be positive, got " + commitInterval);
    }
  }

  /** As the canonical constructor, chunking code by lines. */
  public IndexOptions(
      List<Path> roots,
      Path indexDir,
      ScanOptions scan,
      boolean embed,
      String model,
      int threads,
      Duration commitInterval,
      int commitChunks,
      int workers,
      int embedBatchSize,
      CacheSettings cache) {
    this(
        roots,
        indexDir,
        scan,
        embed,
        model,
        threads,
        commitInterval,
        commitChunks,
        workers,
        embedBatchSize,
        cache,
        ChunkerKind.LINES);
  }

  public IndexOptions withChunker(ChunkerKind kind) {
    return new IndexOptions(
        roots,
        indexDir,
        scan,
        embed,
        model,
        threads,
        commitInterval,
        commitChunks,
        workers,
        embedBatchSize,
        cache,
        kind);
  }

  /**
   * Options with the defaults for everything but what is given: all cores, batches of 64, commits
   * every minute.
   */
  public static IndexOptions of(
      List<Path> roots, Path indexDir, ScanOptions scan, boolean embed, String model) {
    int cores = Runtime.getRuntime().availableProcessors();
    return new IndexOptions(
        roots,
        indexDir,
        scan,
        embed,
        model,
        cores,
        Duration.ofSeconds(60),
        DEFAULT_COMMIT_CHUNKS,
        cores,
        64,
        CacheSettings.memoryOnly(),
        ChunkerKind.LINES);
  }

  public IndexOptions withWorkers(int count) {
    return new IndexOptions(
        roots,
        indexDir,
        scan,
        embed,
        model,
        threads,
        commitInterval,
        commitChunks,
        count,
        embedBatchSize,
        cache,
        chunker);
  }

  public IndexOptions withThreads(int count) {
    return new IndexOptions(
        roots,
        indexDir,
        scan,
        embed,
        model,
        count,
        commitInterval,
        commitChunks,
        workers,
        embedBatchSize,
        cache,
        chunker);
  }

  public IndexOptions withEmbedBatchSize(int size) {
    return new IndexOptions(
        roots,
        indexDir,
        scan,
        embed,
        model,
        threads,
        commitInterval,
        commitChunks,
        workers,
        size,
        cache,
        chunker);
  }

  public IndexOptions withCommitChunks(int chunks) {
    return new IndexOptions(
        roots,
        indexDir,
        scan,
        embed,
        model,
        threads,
        commitInterval,
        chunks,
        workers,
        embedBatchSize,
        cache,
        chunker);
  }

  public IndexOptions withCache(CacheSettings settings) {
    return new IndexOptions(
        roots,
        indexDir,
        scan,
        embed,
        model,
        threads,
        commitInterval,
        commitChunks,
        workers,
        embedBatchSize,
        settings,
        chunker);
  }

  public IndexOptions withCommitInterval(Duration interval) {
    return new IndexOptions(
        roots,
        indexDir,
        scan,
        embed,
        model,
        threads,
        interval,
        commitChunks,
        workers,
        embedBatchSize,
        cache,
        chunker);
  }
}
