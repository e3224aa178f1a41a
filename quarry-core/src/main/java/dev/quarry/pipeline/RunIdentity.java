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
 */
record RunIdentity(long id, Map<String, String> commitData) {

  /**
   * Numbers a new run of {@code kind} on {@code index} (opened for writing) and names it on the
   * index's lock. A run that died holding the lock (killed, crashed) wrote no report: the lock
   * still names it, and it enters the history here as interrupted.
   */
  static RunIdentity claim(IndexStore index, Map<String, String> commitData, String kind)
      throws IOException {
    String history = commitData.get(IndexMetadata.RUNS);
    long id = RunSummaryJson.highestId(history) + 1;
    Optional<IndexLock.Holder> dead = index.lock().previousHolder();
    if (dead.isPresent() && (dead.get().runId() >= id || dead.get().runId() == 0)) {
      long deadId = dead.get().runId() == 0 ? id : dead.get().runId();
      String deadKind = dead.get().kind().isEmpty() ? "index" : dead.get().kind();
      history =
          RunSummaryJson.prepend(
              RunSummaryJson.unfinished(
                  deadId,
                  deadKind,
                  RunStatus.INTERRUPTED,
                  dead.get().since(),
                  RunSummaryJson.KILLED_NOTE),
              history,
              IndexMetadata.RUN_HISTORY);
      id = deadId + 1;
    }
    index.lock().update(index.lock().holder().withRun(id, kind));
    Map<String, String> base =
        history == null
            ? commitData
            : IndexMetadata.with(commitData, Map.of(IndexMetadata.RUNS, history));
    return new RunIdentity(id, base);
  }
}
