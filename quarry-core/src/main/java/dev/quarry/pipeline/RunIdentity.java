package dev.quarry.pipeline;

import dev.quarry.store.IndexLock;
import dev.quarry.store.IndexMetadata;
import dev.quarry.store.IndexStore;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * A run's number and the commit data (with the run history) its commits build on.
 *
 * @param id 1 more than the highest id in the history (or than a dead run's)
 * @param commitData the last commit's data, its history including any dead run
 * @param history that history, read
 */
record RunIdentity(long id, Map<String, String> commitData, RunHistory history) {

  /**
   * Numbers a new run of {@code kind} on {@code index} (opened for writing) and names it on the
   * index's lock. A run that died holding the lock (killed, crashed) wrote no report: the lock
   * still names it, and it enters the history here as interrupted.
   */
  static RunIdentity claim(IndexStore index, Map<String, String> commitData, String kind)
      throws IOException {
    RunHistory history = RunHistory.parse(commitData.get(IndexMetadata.RUNS));
    long id = history.highestId() + 1;
    Map<String, String> base = commitData;
    Optional<IndexLock.Holder> dead = index.lock().previousHolder();
    if (dead.isPresent() && (dead.get().runId() >= id || dead.get().runId() == 0)) {
      long deadId = dead.get().runId() == 0 ? id : dead.get().runId();
      String deadKind = dead.get().kind().isEmpty() ? "index" : dead.get().kind();
      history =
          history.prepend(
              RunReport.unfinished(
                  deadId,
                  deadKind,
                  RunStatus.INTERRUPTED,
                  dead.get().since(),
                  RunReport.KILLED_NOTE),
              IndexMetadata.RUN_HISTORY);
      base = IndexMetadata.with(commitData, Map.of(IndexMetadata.RUNS, history.toJson()));
      id = deadId + 1;
    }
    index.lock().update(index.lock().holder().withRun(id, kind));
    return new RunIdentity(id, base, history);
  }
}
