package dev.quarry.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.quarry.cache.TierStats;
import dev.quarry.json.QuarryJson;
import dev.quarry.store.IndexLock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of one run as the index keeps it (in its commit data, see {@link RunHistory}) and as
 * {@code quarry index --json}, {@code runs} and {@code status} show it. Its JSON keys are a
 * contract with scripts and with the indexes on users' disks: add, never rename.
 *
 * <p>A finished run's report has every field but {@code note} and {@code pid}. Fields are null (and
 * absent from the JSON) where a report has none: an unfinished run (killed, crashed, failed) has
 * only {@code id}, {@code kind}, {@code status}, {@code startedAt} and {@code note}; a run known
 * only from the index's lock also has {@code pid}; reports written before runs had ids have no
 * {@code id}, {@code kind} or {@code status}, and those before the embedding cache no {@code
 * cache}. Rates and seconds are rounded to 3 decimals.
 *
 * @param skippedByReason files skipped for each reason ({@code SkipReason} in lower case), in the
 *     reasons' order
 * @param cache what each embedding cache tier did, fastest first; empty when nothing was embedded
 * @param note why an unfinished run ended, or what holds the index now
 * @param pid the process of a run known only from the index's lock
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunReport(
    Long id,
    String kind,
    RunStatus status,
    Instant startedAt,
    Double wallSeconds,
    Files files,
    Map<String, Long> skippedByReason,
    Chunks chunks,
    Long bytesRead,
    Double filesPerSecond,
    Double megabytesPerSecond,
    Double chunksPerSecond,
    List<StageReport> stages,
    String bottleneck,
    Long peakRssBytes,
    Long peakHeapBytes,
    Double gcSeconds,
    List<CacheTier> cache,
    List<Failure> failures,
    String note,
    Long pid) {

  /** The note on a run that died holding the index's lock. */
  public static final String KILLED_NOTE =
      "the process ended without finishing (killed or crashed); its committed work is kept";

  public RunReport {
    skippedByReason =
        skippedByReason == null
            ? null
            : Collections.unmodifiableMap(new LinkedHashMap<>(skippedByReason));
    stages = stages == null ? null : List.copyOf(stages);
    cache = cache == null ? null : List.copyOf(cache);
    failures = failures == null ? null : List.copyOf(failures);
  }

  /** Files by outcome. */
  public record Files(
      long indexed, long unchanged, long rehashed, long deleted, long skipped, long failed) {}

  /**
   * @param total chunks in the index after the run
   */
  public record Chunks(long total, long written, long embedded, long reused) {}

  /** A file that failed, with its cause. */
  public record Failure(String path, String cause) {}

  /**
   * What one embedding cache tier did in the run; {@code meanMillis} is per call, reads and writes;
   * {@code rejected} counts entries of the shared tier that failed their checks (checksum, team
   * key, unit length) and were treated as misses.
   */
  public record CacheTier(
      String tier,
      long lookups,
      long hits,
      long misses,
      double hitRate,
      long writes,
      long failures,
      // Written only when some were: reports of earlier versions read back and write unchanged.
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) long rejected,
      double meanMillis) {

    public static CacheTier of(TierStats.Snapshot t) {
      return new CacheTier(
          t.tier(),
          t.lookups(),
          t.hits(),
          t.misses(),
          round(t.hitRate()),
          t.writes(),
          t.failures(),
          t.rejected(),
          round(t.meanMillis()));
    }
  }

  /** The report of a run that went to its end (completed, or interrupted by a stop request). */
  public static RunReport of(RunSummary s) {
    Map<String, Long> skipped = new LinkedHashMap<>();
    s.skippedByReason().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> skipped.put(e.getKey().name().toLowerCase(Locale.ROOT), e.getValue()));
    List<StageReport> stages =
        s.stages().stream()
            .map(
                r ->
                    new StageReport(
                        r.name(),
                        r.threads(),
                        r.items(),
                        round(r.busySeconds()),
                        round(r.waitingForInputSeconds()),
                        round(r.upstreamBlockedSeconds()),
                        round(r.itemsPerSecond()),
                        round(r.utilisation())))
            .toList();
    return new RunReport(
        s.id(),
        s.kind(),
        s.status(),
        s.startedAt(),
        round(s.wallSeconds()),
        new Files(
            s.filesIndexed(),
            s.filesUnchanged(),
            s.filesRehashed(),
            s.filesDeleted(),
            s.filesSkipped(),
            s.filesFailed()),
        skipped,
        new Chunks(s.chunksInIndex(), s.chunksWritten(), s.chunksEmbedded(), s.chunksReused()),
        s.bytesRead(),
        round(s.filesPerSecond()),
        round(s.megabytesPerSecond()),
        round(s.chunksPerSecond()),
        stages,
        s.bottleneck(),
        s.resources().peakRssBytes(),
        s.resources().peakHeapBytes(),
        round(s.resources().gcSeconds()),
        s.cache().stream().map(CacheTier::of).toList(),
        s.failures().stream().map(f -> new Failure(f.path(), f.cause())).toList(),
        null,
        null);
  }

  /**
   * The report of a run that ended without counts: killed or crashed (what its lock said of it), or
   * failed (with the error as {@code note}). Its committed work is in the index.
   */
  public static RunReport unfinished(
      long id, String kind, RunStatus status, Instant startedAt, String note) {
    return new RunReport(
        id, kind, status, startedAt, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, note, null);
  }

  /** A run known only from the index's lock: running now, or dead without a report. */
  public static RunReport ofLockHolder(IndexLock.Holder holder) {
    boolean alive = holder.alive();
    return new RunReport(
        holder.runId(),
        holder.kind(),
        alive ? RunStatus.RUNNING : RunStatus.INTERRUPTED,
        holder.since(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        alive ? "holds the index now (" + holder.describe() + ")" : KILLED_NOTE,
        holder.pid());
  }

  /** A report from its JSON (as {@link #toJson()} writes it, or as any earlier version did). */
  public static RunReport parse(String json) {
    try {
      return QuarryJson.MAPPER.readValue(json, RunReport.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("run report is not valid JSON: " + e.getMessage(), e);
    }
  }

  public String toJson() {
    try {
      return QuarryJson.MAPPER.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a report of numbers and strings always serialises", e);
    }
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
