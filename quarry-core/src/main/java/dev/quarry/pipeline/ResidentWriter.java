package dev.quarry.pipeline;

import dev.quarry.index.QuarryIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.apache.lucene.store.Directory;

/**
 * The one writer of a live index, kept open from run to run: a sync of one saved file then costs
 * its own work, not an index opening (writer, reader, lock) and a close that waits for merges to
 * abort (seconds on a 50 MB index, every few edits). A run that fails discards it: closing rolls
 * back to the last commit, and the next run opens afresh, as a new process would. Used by the live
 * index's one thread only.
 */
public final class ResidentWriter {
  private final Path indexDir;
  private QuarryIndex index;

  public ResidentWriter(Path indexDir) {
    this.indexDir = indexDir;
  }

  /**
   * The open writer; when none is, opens one (taking the lock) over the store as {@code wrapper}
   * wraps it (the run's fault-injection seam, see {@link RunAssembler#store}).
   */
  QuarryIndex open(UnaryOperator<Directory> wrapper) throws IOException {
    if (index == null) {
      index = QuarryIndex.openResident(indexDir, wrapper);
    }
    return index;
  }

  /**
   * After a run that ended (completed, or cancelled and committed): the writer stays open, its lock
   * no longer naming a run, unless a write failed (the writer is then closed by Lucene): then it is
   * discarded. Uncommitted changes are no sign of trouble: a background merge that finishes after
   * the run's commit counts as one, and the next commit takes it in.
   */
  public void runEnded() {
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
  public void discard() {
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
