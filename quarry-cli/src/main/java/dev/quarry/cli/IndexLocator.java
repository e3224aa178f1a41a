package dev.quarry.cli;

import dev.quarry.Quarry;
import dev.quarry.pipeline.RunReport;
import dev.quarry.server.SearchServer;
import dev.quarry.store.IndexBusyException;
import dev.quarry.store.IndexMissingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the index the way git finds {@code .git}: here, then each parent directory. */
final class IndexLocator {
  static final String DEFAULT_DIR_NAME = ".quarry";

  private IndexLocator() {}

  /**
   * {@code explicit} when given (an index dir, or a root holding {@code .quarry}), else the search.
   *
   * @throws IndexBusyException where a first run is creating the index and has no commit yet
   */
  static Path locate(Path explicit, Path workingDirectory)
      throws IndexMissingException, IndexBusyException {
    if (explicit != null) {
      Path dir = explicit.toAbsolutePath().normalize();
      if (!isIndex(dir) && isIndex(dir.resolve(DEFAULT_DIR_NAME))) {
        return dir.resolve(DEFAULT_DIR_NAME);
      }
      if (!isIndex(dir)) {
        requireNoFirstRun(dir);
        requireNoFirstRun(dir.resolve(DEFAULT_DIR_NAME));
        throw new IndexMissingException(dir);
      }
      return dir;
    }
    for (Path dir = workingDirectory.toAbsolutePath().normalize();
        dir != null;
        dir = dir.getParent()) {
      Path candidate = dir.resolve(DEFAULT_DIR_NAME);
      if (isIndex(candidate)) {
        return candidate;
      }
      requireNoFirstRun(candidate);
    }
    throw new IndexMissingException(
        workingDirectory.toAbsolutePath().normalize().resolve(DEFAULT_DIR_NAME));
  }

  /**
   * Whether {@code dir} holds an index: a live server's {@code server.json} says so without opening
   * it (Lucene's classes alone cost a search through the server a third of its time), else the
   * index's own files.
   */
  private static boolean isIndex(Path dir) {
    return SearchServer.runningFor(dir).isPresent() || Quarry.isIndex(dir);
  }

  /**
   * A first run takes the index's lock before its writer makes the first (empty) commit: in that
   * moment there is no index yet, but there is no call to run 'quarry index' either.
   */
  private static void requireNoFirstRun(Path dir) throws IndexBusyException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    Optional<RunReport> first = Quarry.runInProgress(dir);
    if (first.isPresent()) {
      throw new IndexBusyException(
          "the first run of the index at "
              + dir
              + " is creating it (pid "
              + first.get().pid()
              + ", since "
              + first.get().startedAt()
              + "): there is nothing to read yet; try again once it has committed",
          null);
    }
  }
}
