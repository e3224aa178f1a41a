package dev.quarry.watch;

import dev.quarry.index.QuarryIndex;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The one writer of a live index, kept open from run to run: a sync of one saved file then costs
 * its own work, not an index opening (writer, reader, lock) and a close that waits for merges to
 * abort (seconds on a 50 MB index, every few edits). A run that fails discards it: closing rolls
 * back to the last commit, and the next run opens afresh, as a new process would. Used by the live
 * index's one thread only.
 */
final class ResidentWriter {
  private final Path indexDir;
  private QuarryIndex index;

  ResidentWriter(Path indexDir) {
    this.indexDir = indexDir;
  }

  /** The open writer, opened (and the lock taken) when none is. */
  QuarryIndex open() throws IOException {
    if (index == null) {
      index = QuarryIndex.openResident(indexDir);
    }
    return index;
  }

  /**
   * After a run that ended (completed, or cancelled and committed): the writer stays open, its lock
   * no longer naming a run, unless a write failed (the writer is then closed by Lucene): then it is
   * discarded. Uncommitted changes are no sign of trouble: a background merge that finishes after
   * the run's commit counts as one, and the next commit takes it in.
   */
  void runEnded() {
    if (index == null) {
      return;
    }
    if (index.writeFailure() != null) {
      discard();
      return;
    }
    try {
      index.lock().clearName();
    } catch (IOException e) {
      discard(); // the lock file cannot be written (a full disk): the next run opens afresh
    }
  }

  /** Closes the writer (rolling back what is uncommitted) and releases the lock; idempotent. */
  void discard() {
    if (index == null) {
      return;
    }
    try {
      index.close();
    } catch (IOException | RuntimeException e) {
      // Rolled back or not, the next opening reads the last commit.
    } finally {
      index = null;
    }
  }
}
