package dev.quarry.cache;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The embedding cache a run uses: tiers from fastest to most shared (memory, disk, a server). A
 * lookup asks each tier for what the faster ones lacked and copies what it finds into the faster
 * ones; a write goes to every tier. A tier that fails (down, slow, full) is reported once, counted,
 * and from then on skipped for this cache's life: a cache can slow a run down, never fail it.
 */
public final class TieredVectorCache implements AutoCloseable {
  private final List<CacheTier> tiers;
  private final List<TierStats> stats = new ArrayList<>();
  private final boolean[] disabled;
  private final boolean[] toldRejected;
  private final Consumer<String> warnings;

  /**
   * @param warnings told once per failing tier, with the cause
   */
  public TieredVectorCache(List<CacheTier> tiers, Consumer<String> warnings) {
    this.tiers = List.copyOf(tiers);
    this.tiers.forEach(t -> stats.add(new TierStats(t.name())));
    this.disabled = new boolean[this.tiers.size()];
    this.toldRejected = new boolean[this.tiers.size()];
    this.warnings = warnings;
  }

  /** A cache of one memory tier (runs without a disk cache, tests). */
  public static TieredVectorCache memoryOnly() {
    return new TieredVectorCache(List.of(new MemoryTier(MemoryTier.DEFAULT_MAX_BYTES)), w -> {});
  }

  /** A cache of no tiers: it holds nothing (models cheaper than a cache). */
  public static TieredVectorCache none() {
    return new TieredVectorCache(List.of(), w -> {});
  }

  /** The vectors any tier holds for {@code chunkHashes}. */
  public Map<String, float[]> getAll(ModelKey model, Collection<String> chunkHashes) {
    Map<String, float[]> found = new HashMap<>();
    Set<String> missing = new LinkedHashSet<>(chunkHashes);
    for (int i = 0; i < tiers.size() && !missing.isEmpty(); i++) {
      if (isDisabled(i)) {
        continue;
      }
      long start = System.nanoTime();
      Map<String, float[]> here;
      try {
        here = tiers.get(i).getAll(model, missing);
      } catch (CacheTierException e) {
        disable(i, e);
        continue;
      }
      stats.get(i).looked(missing.size(), here.size(), System.nanoTime() - start);
      reportRejected(i);
      if (!here.isEmpty()) {
        found.putAll(here);
        missing.removeAll(here.keySet());
        for (int faster = 0; faster < i; faster++) {
          write(faster, model, here);
        }
      }
    }
    return found;
  }

  /** Stores freshly computed (or otherwise known) vectors in every tier. */
  public void putAll(ModelKey model, Map<String, float[]> vectors) {
    if (vectors.isEmpty()) {
      return;
    }
    for (int i = 0; i < tiers.size(); i++) {
      write(i, model, vectors);
    }
  }

  private void write(int tier, ModelKey model, Map<String, float[]> vectors) {
    if (isDisabled(tier)) {
      return;
    }
    long start = System.nanoTime();
    try {
      tiers.get(tier).putAll(model, vectors);
      stats.get(tier).wrote(vectors.size(), System.nanoTime() - start);
    } catch (CacheTierException e) {
      disable(tier, e);
    }
  }

  private synchronized boolean isDisabled(int tier) {
    return disabled[tier];
  }

  private void disable(int tier, CacheTierException e) {
    stats.get(tier).failed();
    synchronized (this) {
      if (disabled[tier]) {
        return;
      }
      disabled[tier] = true;
    }
    warnings.accept(
        "embedding cache tier '"
            + tiers.get(tier).name()
            + "' failed, going on without it: "
            + e.getMessage());
  }

  /**
   * A tier that holds entries failing their checks (written by someone else, damaged, another team
   * key) is told once: they are misses, and every later run would re-embed them silently.
   */
  private void reportRejected(int tier) {
    long rejected = tiers.get(tier).rejected();
    synchronized (this) {
      if (rejected == 0 || toldRejected[tier]) {
        return;
      }
      toldRejected[tier] = true;
    }
    warnings.accept(
        "embedding cache tier '"
            + tiers.get(tier).name()
            + "' holds entries that fail their integrity check (damaged, written by another"
            + " version, or by someone without the team key); they are not used");
  }

  /** Per tier, fastest first. */
  public List<TierStats.Snapshot> stats() {
    List<TierStats.Snapshot> snapshots = new ArrayList<>();
    for (int i = 0; i < tiers.size(); i++) {
      snapshots.add(stats.get(i).snapshot(tiers.get(i).rejected()));
    }
    return snapshots;
  }

  @Override
  public void close() {
    tiers.forEach(CacheTier::close);
  }
}
