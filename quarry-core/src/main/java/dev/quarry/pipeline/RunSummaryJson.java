package dev.quarry.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.cache.TierStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shape of a {@link RunSummary}: what {@code quarry index --json} prints and what the index
 * keeps as its last run. Keys are a contract with scripts: add, never rename.
 */
public final class RunSummaryJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RunSummaryJson() {}

  public static Map<String, Object> toMap(RunSummary s) {
    Map<String, Object> files = new LinkedHashMap<>();
    files.put("indexed", s.filesIndexed());
    files.put("unchanged", s.filesUnchanged());
    files.put("rehashed", s.filesRehashed());
    files.put("deleted", s.filesDeleted());
    files.put("skipped", s.filesSkipped());
    files.put("failed", s.filesFailed());
    Map<String, Object> skipped = new LinkedHashMap<>();
    s.skippedByReason().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> skipped.put(e.getKey().name().toLowerCase(java.util.Locale.ROOT), e.getValue()));
    Map<String, Object> chunks = new LinkedHashMap<>();
    chunks.put("total", s.chunksInIndex());
    chunks.put("written", s.chunksWritten());
    chunks.put("embedded", s.chunksEmbedded());
    chunks.put("reused", s.chunksReused());
    List<Map<String, String>> failures = s.failures().stream()
        .map(f -> Map.of("path", f.path(), "cause", f.cause()))
        .toList();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("id", s.id());
    root.put("kind", s.kind());
    root.put("status", s.status().label());
    root.put("startedAt", s.startedAt().toString());
    root.put("wallSeconds", round(s.wallSeconds()));
    root.put("files", files);
    root.put("skippedByReason", skipped);
    root.put("chunks", chunks);
    root.put("bytesRead", s.bytesRead());
    root.put("filesPerSecond", round(s.filesPerSecond()));
    root.put("megabytesPerSecond", round(s.megabytesPerSecond()));
    root.put("chunksPerSecond", round(s.chunksPerSecond()));
    List<Map<String, Object>> stages = s.stages().stream().map(RunSummaryJson::stage).toList();
    root.put("stages", stages);
    root.put("bottleneck", s.bottleneck());
    root.put("peakRssBytes", s.resources().peakRssBytes());
    root.put("peakHeapBytes", s.resources().peakHeapBytes());
    root.put("gcSeconds", round(s.resources().gcSeconds()));
    root.put("cache", s.cache().stream().map(RunSummaryJson::tier).toList());
    root.put("failures", failures);
    return root;
  }

  private static Map<String, Object> tier(TierStats.Snapshot t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tier", t.tier());
    m.put("lookups", t.lookups());
    m.put("hits", t.hits());
    m.put("misses", t.misses());
    m.put("hitRate", round(t.hitRate()));
    m.put("writes", t.writes());
    m.put("failures", t.failures());
    m.put("meanMillis", round(t.meanMillis()));
    return m;
  }

  private static Map<String, Object> stage(StageReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", r.name());
    m.put("threads", r.threads());
    m.put("items", r.items());
    m.put("busySeconds", round(r.busySeconds()));
    m.put("waitingForInputSeconds", round(r.waitingForInputSeconds()));
    m.put("upstreamBlockedSeconds", round(r.upstreamBlockedSeconds()));
    m.put("itemsPerSecond", round(r.itemsPerSecond()));
    m.put("utilisation", round(r.utilisation()));
    return m;
  }

  /** {@code report} followed by up to {@code keep - 1} reports of the JSON array {@code history}. */
  public static String prepend(String report, String history, int keep) {
    try {
      var array = MAPPER.createArrayNode();
      array.add(MAPPER.readTree(report));
      if (history != null && !history.isBlank()) {
        for (var old : MAPPER.readTree(history)) {
          if (array.size() >= keep) {
            break;
          }
          array.add(old);
        }
      }
      return MAPPER.writeValueAsString(array);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("run history is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** The note on a run that died holding the index's lock. */
  public static final String KILLED_NOTE =
      "the process ended without finishing (killed or crashed); its committed work is kept";

  /**
   * The report of a run that ended without counts: killed or crashed (what its lock said of it), or
   * failed (with the error as {@code note}). Its committed work is in the index.
   */
  public static String unfinished(long id, String kind, RunStatus status, java.time.Instant startedAt,
      String note) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("id", id);
    root.put("kind", kind);
    root.put("status", status.label());
    root.put("startedAt", startedAt.toString());
    root.put("note", note);
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serialises", e);
    }
  }

  /** The highest run id in a {@link #prepend}-built history (0 when none has one). */
  public static long highestId(String history) {
    if (history == null || history.isBlank()) {
      return 0;
    }
    try {
      long highest = 0;
      for (var report : MAPPER.readTree(history)) {
        highest = Math.max(highest, report.path("id").asLong(0));
      }
      return highest;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("run history is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** The reports of a {@link #prepend}-built history, newest first. */
  public static List<String> reports(String history) {
    if (history == null || history.isBlank()) {
      return List.of();
    }
    try {
      List<String> out = new java.util.ArrayList<>();
      for (var node : MAPPER.readTree(history)) {
        out.add(MAPPER.writeValueAsString(node));
      }
      return out;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("run history is not valid JSON: " + e.getMessage(), e);
    }
  }

  public static String write(RunSummary summary) {
    try {
      return MAPPER.writeValueAsString(toMap(summary));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a summary of numbers and strings always serialises", e);
    }
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
