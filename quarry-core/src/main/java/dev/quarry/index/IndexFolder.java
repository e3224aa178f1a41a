package dev.quarry.index;

import dev.quarry.fs.OwnerOnly;
import dev.quarry.store.IndexLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The folder of an index, kept its owner's alone: it holds the text of every file indexed, files
 * only their owner may read included. Created 0700, so whatever mode Lucene's files get (the
 * process umask decides it) nobody else reaches them; Quarry's own lock file is 0600 as well.
 *
 * <p>An index folder an older Quarry created open to others is made owner-only by the next run that
 * writes it, which says so. A folder holding other things than an index (the user pointed {@code
 * --index} at one of theirs) keeps its mode: only a warning says the index is not private. The
 * folders above the index folder are never changed.
 */
final class IndexFolder {
  private IndexFolder() {}

  /** Creates or prepares {@code dir} for writing; returns what the user should be told. */
  static List<String> prepare(Path dir) throws IOException {
    List<String> notices = OwnerOnly.createFolder(dir) ? List.of() : tighten(dir);
    try {
      OwnerOnly.createFile(dir.resolve(IndexLock.FILE_NAME));
    } catch (IOException e) {
      // An unwritable folder: the lock says so next, in its own words.
    }
    return notices;
  }

  private static List<String> tighten(Path dir) throws IOException {
    Path lock = dir.resolve(IndexLock.FILE_NAME);
    String access = OwnerOnly.othersAccess(dir);
    if (access.isEmpty()) {
      restrictQuietly(lock);
      return List.of();
    }
    if (!onlyAnIndex(dir)) {
      return List.of(
          "index folder "
              + dir
              + " holds other files than the index and is open to other users ("
              + access
              + "): Quarry leaves its mode alone, so they may read the indexed text;"
              + " give the index a folder of its own, or chmod 700 it");
    }
    try {
      OwnerOnly.restrict(dir);
    } catch (IOException e) {
      return List.of(
          "index "
              + dir
              + " is readable by other users ("
              + access
              + ") and could not be made owner-only: "
              + e.getMessage());
    }
    restrictQuietly(lock);
    return List.of(
        "index "
            + dir
            + " was readable by other users ("
            + access
            + "); it is now owner-only (0700)");
  }

  private static void restrictQuietly(Path file) {
    try {
      if (Files.exists(file)) {
        OwnerOnly.restrict(file);
      }
    } catch (IOException e) {
      // Inside an owner-only folder its mode no longer matters.
    }
  }

  /** Whether {@code dir} is empty or holds an index: its lock or a Lucene commit point. */
  private static boolean onlyAnIndex(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      List<String> names = entries.map(p -> p.getFileName().toString()).toList();
      return names.isEmpty()
          || names.stream()
              .anyMatch(n -> n.equals(IndexLock.FILE_NAME) || n.startsWith("segments_"));
    }
  }
}
