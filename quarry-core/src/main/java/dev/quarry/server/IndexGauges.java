package dev.quarry.server;

import dev.quarry.IndexStatus;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The index's size for {@code /metrics}: files, chunks, vector coverage and bytes on disk, from its
 * status read at most every few seconds (a scrape reads four gauges, and each read of the status
 * opens the index). Thread-safe.
 */
final class IndexGauges {
  private static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(5);
  private final IndexSource index;
  private IndexStatus status;
  private long readAt;

  private IndexGauges(IndexSource index) {
    this.index = index;
  }

  /** Registers the gauges of {@code index}. */
  static void register(ServerMetrics metrics, IndexSource index) {
    IndexGauges gauges = new IndexGauges(index);
    // quarry.indexed.*, not quarry.index.*: those are the runs' counters (PipelineMetrics).
    metrics.gauge("quarry.indexed.files", "files in the index", gauges, g -> g.status().files());
    metrics.gauge("quarry.indexed.chunks", "chunks in the index", gauges, g -> g.status().chunks());
    metrics.gauge(
        "quarry.indexed.vector.coverage",
        "share of chunks with their vector",
        gauges,
        g -> g.status().vectorCoverage());
    metrics.gauge(
        "quarry.indexed.size.bytes",
        "bytes the index takes on disk (0 for a remote store)",
        gauges,
        g -> g.status().bytesOnDisk());
  }

  private synchronized IndexStatus status() {
    if (status == null || System.nanoTime() - readAt > MAX_AGE_NANOS) {
      try {
        status = index.status();
      } catch (IOException | RuntimeException e) {
        status = new IndexStatus("", List.of(), List.of(), 0, 0, 0, Double.NaN, 0, "", null, null);
      }
      readAt = System.nanoTime();
    }
    return status;
  }
}
