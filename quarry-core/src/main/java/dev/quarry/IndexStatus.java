package dev.quarry;

import dev.quarry.pipeline.RunReport;
import java.util.List;

/**
 * What an index holds, as {@code quarry status} shows it.
 *
 * @param index the index directory
 * @param roots the roots of its runs
 * @param missingRoots roots that are no longer directories (moved, renamed, unmounted): runs only
 *     touch the roots they are given, so their files stay in the index
 * @param vectorCoverage vectors over chunks (1 for an empty index)
 * @param model the model identity of the index's vectors; null while it has none
 * @param lastRun the last run's report; null before the first run
 * @param running the run writing the index now, as {@code runs} shows it (status running, its pid
 *     and start); null when none
 */
public record IndexStatus(
    String index,
    List<String> roots,
    List<String> missingRoots,
    long files,
    long chunks,
    long vectors,
    double vectorCoverage,
    long bytesOnDisk,
    String model,
    RunReport lastRun,
    RunReport running) {

  public IndexStatus {
    roots = List.copyOf(roots);
    missingRoots = List.copyOf(missingRoots);
  }

  /**
   * Whether the index's first run is writing it now: no run has finished yet, so what the index
   * holds (no roots, no model, no files) says nothing of what it will hold.
   */
  public boolean firstRunInProgress() {
    return running != null && lastRun == null;
  }
}
