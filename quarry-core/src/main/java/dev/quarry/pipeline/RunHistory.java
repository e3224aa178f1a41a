package dev.quarry.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.quarry.json.QuarryJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The reports of an index's last runs, newest first, as its commit data keeps them ({@code
 * IndexMetadata.RUNS}: a JSON array of {@link RunReport}s). Immutable.
 */
public record RunHistory(@JsonValue List<RunReport> reports) {
  public static final RunHistory EMPTY = new RunHistory(List.of());

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public RunHistory {
    reports = List.copyOf(reports);
  }

  /** The history in {@code json}; empty when there is none yet (null or blank). */
  public static RunHistory parse(String json) {
    if (json == null || json.isBlank()) {
      return EMPTY;
    }
    try {
      return QuarryJson.MAPPER.readValue(json, RunHistory.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("run history is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** This history with {@code report} first, bounded to the newest {@code keep} reports. */
  public RunHistory prepend(RunReport report, int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("a run history keeps at least 1 report, not " + keep);
    }
    List<RunReport> out = new ArrayList<>(Math.min(keep, reports.size() + 1));
    out.add(report);
    out.addAll(reports.subList(0, Math.min(reports.size(), keep - 1)));
    return new RunHistory(out);
  }

  /** The highest run id in the history (0 when no report has one). */
  public long highestId() {
    return reports.stream().mapToLong(r -> r.id() == null ? 0 : r.id()).max().orElse(0);
  }

  /** The newest report, if any. */
  public Optional<RunReport> latest() {
    return reports.stream().findFirst();
  }

  public String toJson() {
    try {
      return QuarryJson.MAPPER.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a history of reports always serialises", e);
    }
  }
}
