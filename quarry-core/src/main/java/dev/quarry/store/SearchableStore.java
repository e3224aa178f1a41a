package dev.quarry.store;

import java.io.IOException;

/**
 * A store searches can read: each search takes a {@link StoreView} of the last commit and closes it
 * when done. Readers never take the writer's lock and never wait for a run. Thread-safe.
 */
public interface SearchableStore {

  /** A view of the last commit (as of the last refresh), for one search. */
  StoreView view() throws IOException;
}
