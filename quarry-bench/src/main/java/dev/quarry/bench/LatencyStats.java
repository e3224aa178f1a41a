package dev.quarry.bench;

import java.util.Arrays;

/**
 * Percentiles of a set of latencies, in milliseconds. Percentiles are nearest-rank: p99 is the
 * smallest latency that at least 99% of the samples do not exceed (an observed value, never an
 * interpolation), so with 300 samples p99 is the 297th smallest.
 *
 * @param count samples
 * @param meanMs arithmetic mean
 * @param qps queries per second of one thread issuing them back to back: 1000 / mean
 */
public record LatencyStats(
    int count, double meanMs, double p50Ms, double p95Ms, double p99Ms, double maxMs, double qps) {

  /** Stats of latencies given in nanoseconds; at least one. */
  public static LatencyStats ofNanos(long[] nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("no latencies to summarise");
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double sum = 0;
    for (long n : sorted) {
      sum += n;
    }
    double meanMs = sum / sorted.length / 1e6;
    return new LatencyStats(
        sorted.length,
        meanMs,
        percentile(sorted, 0.50) / 1e6,
        percentile(sorted, 0.95) / 1e6,
        percentile(sorted, 0.99) / 1e6,
        sorted[sorted.length - 1] / 1e6,
        meanMs > 0 ? 1000 / meanMs : Double.POSITIVE_INFINITY);
  }

  /** The nearest-rank percentile of sorted values: the ⌈p·n⌉-th smallest. */
  static long percentile(long[] sorted, double p) {
    // The epsilon keeps a product such as 0.07 × 100 = 7.000000000000001 at rank 7, not 8.
    int rank = (int) Math.ceil(p * sorted.length - 1e-9);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }

  /**
   * These stats as the bench details keep them (JSON: the components in order): milliseconds
   * rounded to the microsecond, qps to a tenth; more digits would be noise.
   */
  public LatencyStats rounded() {
    return new LatencyStats(
        count,
        round(meanMs),
        round(p50Ms),
        round(p95Ms),
        round(p99Ms),
        round(maxMs),
        Math.round(qps * 10) / 10.0);
  }

  private static double round(double ms) {
    return Math.round(ms * 1000) / 1000.0;
  }
}
