package dev.quarry.pipeline;

import dev.quarry.cache.TierStats;
import dev.quarry.scan.SkipReason;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The counted result of one run.
 *
 * @param id the run's number in its index (1, 2, ...), shown by {@code quarry runs}
 * @param kind what ran: "index" (a walk of the roots) or "sync" (a change list)
 * @param status completed, or interrupted when cancelled before the end
 * @param failures every failure with its cause (path and cause), in the order they happened
 * @param skippedByReason how many files were skipped for each reason
 * @param chunksInIndex chunks in the index after the run
 * @param stages what each pipeline stage did, in pipeline order
 * @param resources peak memory and GC time of the process
 * @param cache what each embedding cache tier did (lookups, hits, writes, time), fastest first;
 *     empty for a run that embeds nothing
 */
public record RunSummary(
    long id,
    String kind,
    RunStatus status,
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
    long chunksInIndex,
    List<StageReport> stages,
    ResourceUsage resources,
    List<TierStats.Snapshot> cache) {

  public RunSummary {
    skippedByReason = Map.copyOf(skippedByReason);
    failures = List.copyOf(failures);
    stages = List.copyOf(stages);
    cache = List.copyOf(cache);
  }

  /** The stage that was busiest relative to its threads: where more speed would come from. */
  public String bottleneck() {
    return stages.stream()
        .max(java.util.Comparator.comparingDouble(StageReport::utilisation))
        .map(StageReport::name)
        .orElse("none");
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
