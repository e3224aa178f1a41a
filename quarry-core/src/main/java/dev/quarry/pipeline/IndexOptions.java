package dev.quarry.pipeline;

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
 * @param embed whether to compute vectors (false: lexical only; vectors can be added by a later run)
 * @param model the embedding model's name (see {@code EmbeddingModels})
 * @param threads threads for the embedding model
 * @param commitInterval the longest time between commits; a crash loses at most this much work
 */
public record IndexOptions(
    List<Path> roots,
    Path indexDir,
    ScanOptions scan,
    boolean embed,
    String model,
    int threads,
    Duration commitInterval) {

  public IndexOptions {
    roots = List.copyOf(roots);
    if (roots.isEmpty()) {
      throw new IllegalArgumentException("at least one root is needed");
    }
    Objects.requireNonNull(indexDir, "indexDir");
    Objects.requireNonNull(scan, "scan");
    Objects.requireNonNull(model, "model");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    if (commitInterval.isNegative() || commitInterval.isZero()) {
      throw new IllegalArgumentException("commitInterval must be positive, got " + commitInterval);
    }
  }
}
