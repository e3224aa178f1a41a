package dev.quarry.store;

import java.io.IOException;
import java.util.Optional;

/**
 * The one-writer lock of a store, as a run uses it: who holds it now (named, so that others can say
 * who writes), and who held it last without releasing it (a run that died, which the next run
 * records as interrupted). The embedded index uses an OS file lock ({@link IndexLock}); a remote
 * store would use a lock record with optimistic concurrency.
 */
public interface WriterLock {

  /** The holder a dead writer left behind when this lock was taken, if any. */
  Optional<IndexLock.Holder> previousHolder();

  /** Who holds the lock now. */
  IndexLock.Holder holder();

  /** Names the run now holding the lock (its id is known once the store's history is read). */
  void update(IndexLock.Holder holder) throws IOException;

  /**
   * Leaves the holder's name behind when released, as a killed writer would: for a run that could
   * not record its own end, so the next run records it as interrupted.
   */
  void keepNameOnClose();
}
