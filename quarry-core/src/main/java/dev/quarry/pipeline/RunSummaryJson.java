package dev.quarry.pipeline;

import java.time.Instant;
import java.util.List;

/**
 * Run reports and the run history as the JSON text the index's commit data holds: the string-level
 * entry points of {@link RunReport} and {@link RunHistory} for the run that writes them.
 */
final class RunSummaryJson {
  private RunSummaryJson() {}

  /** The note on a run that died holding the index's lock. */
  public static final String KILLED_NOTE = RunReport.KILLED_NOTE;

  /**
   * {@code report} followed by up to {@code keep - 1} reports of the JSON array {@code history}.
   */
  public static String prepend(String report, String history, int keep) {
    return RunHistory.parse(history).prepend(RunReport.parse(report), keep).toJson();
  }

  /** The JSON of {@link RunReport#unfinished}. */
  public static String unfinished(
      long id, String kind, RunStatus status, Instant startedAt, String note) {
    return RunReport.unfinished(id, kind, status, startedAt, note).toJson();
  }

  /** The highest run id in a {@link #prepend}-built history (0 when none has one). */
  public static long highestId(String history) {
    return RunHistory.parse(history).highestId();
  }

  /** The reports of a {@link #prepend}-built history, newest first, each as JSON. */
  public static List<String> reports(String history) {
    return RunHistory.parse(history).reports().stream().map(RunReport::toJson).toList();
  }

  /** The JSON of {@link RunReport#of}. */
  public static String write(RunSummary summary) {
    return RunReport.of(summary).toJson();
  }
}
