package dev.quarry.cli;

import dev.quarry.Quarry;
import dev.quarry.store.IndexMissingException;
import java.nio.file.Path;

/** Finds the index the way git finds {@code .git}: here, then each parent directory. */
final class IndexLocator {
  static final String DEFAULT_DIR_NAME = ".quarry";

  private IndexLocator() {}

  /**
   * {@code explicit} when given (an index dir, or a root holding {@code .quarry}), else the search.
   */
  static Path locate(Path explicit, Path workingDirectory) throws IndexMissingException {
    if (explicit != null) {
      Path dir = explicit.toAbsolutePath().normalize();
      if (!Quarry.isIndex(dir) && Quarry.isIndex(dir.resolve(DEFAULT_DIR_NAME))) {
        return dir.resolve(DEFAULT_DIR_NAME);
      }
      if (!Quarry.isIndex(dir)) {
        throw new IndexMissingException(dir);
      }
      return dir;
    }
    for (Path dir = workingDirectory.toAbsolutePath().normalize();
        dir != null;
        dir = dir.getParent()) {
      Path candidate = dir.resolve(DEFAULT_DIR_NAME);
      if (Quarry.isIndex(candidate)) {
        return candidate;
      }
    }
    throw new IndexMissingException(
        workingDirectory.toAbsolutePath().normalize().resolve(DEFAULT_DIR_NAME));
  }
}
