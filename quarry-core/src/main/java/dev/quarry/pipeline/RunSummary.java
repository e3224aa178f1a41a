package dev.quarry.pipeline;

import dev.quarry.scan.SkipReason;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The counted result of one run.
 *
 * @param failures every failure with its cause (path and cause), in the order they happened
 * @param skippedByReason how many files were skipped for each reason
 * @param chunksInIndex chunks in the index after the run
 */
public record RunSummary(
    Instant startedAt,
    double wallSeconds,
    long filesIndexed,
    long filesUnchanged,
    long filesRehashed,
    long filesDeleted,
    long filesSkipped,
    long filesFailed,
    Map<SkipReason, Long> skippedByReason,
    List<FileOutcome.Failed> failures,
    long bytesRead,
    long chunksWritten,
    long chunksEmbedded,
    long chunksReused,
    long chunksInIndex) {

  public RunSummary {
    skippedByReason = Map.copyOf(skippedByReason);
    failures = List.copyOf(failures);
  }

  public long filesSeen() {
    return filesIndexed + filesUnchanged + filesSkipped + filesFailed;
  }

  public double filesPerSecond() {
    return wallSeconds > 0 ? filesSeen() / wallSeconds : 0;
  }

  public double megabytesPerSecond() {
    return wallSeconds > 0 ? bytesRead / 1e6 / wallSeconds : 0;
  }

  public double chunksPerSecond() {
    return wallSeconds > 0 ? chunksWritten / wallSeconds : 0;
  }
}
