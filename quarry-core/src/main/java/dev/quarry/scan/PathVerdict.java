package dev.quarry.scan;

import java.nio.file.Path;

/** What one path named by a change list is, judged as a walk of its root would judge it. */
public sealed interface PathVerdict {

  /** A regular file the walk would report: index it (or find it unchanged). */
  record Present(ScannedFile file) implements PathVerdict {}

  /**
   * Not part of the tree: gone from disk, ignored by ignore rules, or inside a directory the walk
   * never enters. Whatever the index holds of it goes. {@code why} is null when simply absent.
   */
  record Absent(Path root, String relativePath, String why) implements PathVerdict {}

  /** In the tree but not indexed, for a reason the walk would report too: its old chunks go. */
  record Skipped(Path root, String relativePath, SkipReason reason) implements PathVerdict {}

  /**
   * Not something an index can hold or a change list should name (a directory, outside the roots).
   */
  record Rejected(String reason) implements PathVerdict {}
}
