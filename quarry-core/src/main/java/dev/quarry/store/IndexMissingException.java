package dev.quarry.store;

import java.io.IOException;
import java.nio.file.Path;

/** There is no Quarry index where one was expected. */
public final class IndexMissingException extends IOException {
  private static final long serialVersionUID = 1L;

  public IndexMissingException(Path dir) {
    super("no Quarry index at " + dir + " (run 'quarry index ROOT' first, or pass --index DIR)");
  }

  /** No index in the remote store at {@code location}. */
  public IndexMissingException(String location) {
    super(
        "no Quarry index in "
            + location
            + " (run 'quarry index ROOT --store "
            + location
            + "' first)");
  }
}
