package dev.quarry.store;

import java.nio.file.Path;

/** Another process (or another writer in this one) is writing the index: one writer at a time. */
public final class IndexLockedException extends IndexBusyException {
  private static final long serialVersionUID = 1L;

  private final transient IndexLock.Holder holder;

  IndexLockedException(Path indexDir, IndexLock.Holder holder) {
    this(indexDir.toString(), holder);
  }

  /**
   * The index at {@code location} (a directory, a store's address) is written by {@code holder}.
   */
  public IndexLockedException(String location, IndexLock.Holder holder) {
    super(
        "index "
            + location
            + " is being written by another Quarry run ("
            + (holder == null ? "a process that has not said who it is yet" : holder.describe())
            + "); wait for it to finish or stop it, then run again",
        null);
    this.holder = holder;
  }

  /** Who holds the index, when it said so (null if it had not yet written its name). */
  public IndexLock.Holder holder() {
    return holder;
  }
}
