package dev.quarry.cache;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one tier did in a run: keys looked up, hits, vectors written, failures, entries rejected,
 * time spent.
 */
public final class TierStats {
  private final String tier;
  private final LongAdder lookups = new LongAdder();
  private final LongAdder hits = new LongAdder();
  private final LongAdder writes = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder calls = new LongAdder();
  private final LongAdder nanos = new LongAdder();

  public TierStats(String tier) {
    this.tier = tier;
  }

  void looked(int keys, int found, long elapsedNanos) {
    lookups.add(keys);
    hits.add(found);
    calls.increment();
    nanos.add(elapsedNanos);
  }

  void wrote(int vectors, long elapsedNanos) {
    writes.add(vectors);
    calls.increment();
    nanos.add(elapsedNanos);
  }

  void failed() {
    failures.increment();
  }

  /**
   * @param rejected entries the tier found but did not serve, failing their checks (the tier counts
   *     them)
   */
  public Snapshot snapshot(long rejected) {
    return new Snapshot(
        tier,
        lookups.sum(),
        hits.sum(),
        writes.sum(),
        failures.sum(),
        calls.sum(),
        nanos.sum(),
        rejected);
  }

  /**
   * The counts at one moment. {@code calls} and {@code nanos} cover reads and writes; {@code
   * rejected} entries (found, failing their integrity checks) count as misses.
   */
  public record Snapshot(
      String tier,
      long lookups,
      long hits,
      long writes,
      long failures,
      long calls,
      long nanos,
      long rejected) {
    public long misses() {
      return lookups - hits;
    }

    public double hitRate() {
      return lookups == 0 ? 0 : (double) hits / lookups;
    }

    /** Mean time per call to the tier, milliseconds. */
    public double meanMillis() {
      return calls == 0 ? 0 : nanos / 1e6 / calls;
    }
  }
}
