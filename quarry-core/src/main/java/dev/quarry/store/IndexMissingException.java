package dev.quarry.store;

import java.io.IOException;
import java.nio.file.Path;

/** There is no Quarry index where one was expected. */
public final class IndexMissingException extends IOException {
  private static final long serialVersionUID = 1L;

  public IndexMissingException(Path dir) {
    super("no Quarry index at " + dir + " (run 'quarry index ROOT' first, or pass --index DIR)");
  }
}
