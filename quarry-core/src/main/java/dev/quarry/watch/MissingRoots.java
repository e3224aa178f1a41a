package dev.quarry.watch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The roots of a live index that are gone: deleted, moved away or on a disk that was unmounted. A
 * run then waits instead of running: {@code quarry index} refuses a missing root, and a walk that
 * took it for empty would remove all its files from the index, though a vanished root is most
 * likely a disk not mounted (yet) or a mistake, not files the user wants out of it.
 */
final class MissingRoots {
  private MissingRoots() {}

  /** The roots that are not (or no longer) existing directories, in order. */
  static List<Path> of(List<Path> roots) {
    return roots.stream().filter(root -> !Files.isDirectory(root)).toList();
  }

  /** What to tell the user about {@code gone}: what is wrong, what is kept, what happens next. */
  static String problem(List<Path> gone) {
    return gone.stream().map(root -> "root " + root).collect(Collectors.joining(", "))
        + (gone.size() == 1 ? " is" : " are")
        + " gone (deleted, moved or unmounted): the index keeps its last commit and is served as"
        + " it is; it is brought up to date when the root is back";
  }
}
