package dev.quarry.changes;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A parsed change: a status and the path or paths it names, exactly as given (relative or absolute,
 * not resolved against anything).
 *
 * @param record the record's 1-based number (see {@link ChangeRecord#record()})
 * @param status git's status, or {@link Status#BARE} for a path given alone
 * @param score the score git printed after the status letter, when it printed one: similarity for
 *     {@link Status#RENAMED} and {@link Status#COPIED}, dissimilarity of a rewrite for {@link
 *     Status#MODIFIED} (with {@code git diff -B}); 0 to 100
 * @param paths the paths, never empty strings: two (old, then new) for renames and copies, one
 *     otherwise
 */
record ChangeEntry(int record, Status status, OptionalInt score, List<String> paths)
    implements ChangeRecord {

  public ChangeEntry {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(score, "score");
    paths = List.copyOf(paths);
    if (paths.size() != status.pathCount()) {
      throw new IllegalArgumentException(
          status + " takes " + status.pathCount() + " path(s), got " + paths.size() + ": " + paths);
    }
    if (score.isPresent() && !status.takesScore()) {
      throw new IllegalArgumentException(status + " takes no score, got " + score.getAsInt());
    }
    if (score.isPresent() && (score.getAsInt() < 0 || score.getAsInt() > 100)) {
      throw new IllegalArgumentException("score must be 0 to 100, got " + score.getAsInt());
    }
  }

  /** An entry without a score. */
  public ChangeEntry(int record, Status status, List<String> paths) {
    this(record, status, OptionalInt.empty(), paths);
  }

  /** The path a change leaves behind: the new path of a rename or copy, the only path otherwise. */
  public String path() {
    return paths.get(paths.size() - 1);
  }

  /** The status of a change, as git's {@code --name-status} letters name it. */
  public enum Status {
    /** {@code A}: added. */
    ADDED('A', 1, false),
    /** {@code M}: modified; may carry a dissimilarity score with {@code git diff -B}. */
    MODIFIED('M', 1, true),
    /** {@code D}: deleted. */
    DELETED('D', 1, false),
    /** {@code T}: type changed (file, symbolic link, submodule). */
    TYPE_CHANGED('T', 1, false),
    /** {@code U}: unmerged. */
    UNMERGED('U', 1, false),
    /** {@code X}: unknown to git (git calls it a bug if it ever shows). */
    UNKNOWN('X', 1, false),
    /** {@code R}: renamed from the first path to the second. */
    RENAMED('R', 2, true),
    /** {@code C}: copied from the first path to the second. */
    COPIED('C', 2, true),
    /** A path given alone, without a status: the caller decides what changed. */
    BARE('\0', 1, false);

    private final char letter;
    private final int pathCount;
    private final boolean takesScore;

    Status(char letter, int pathCount, boolean takesScore) {
      this.letter = letter;
      this.pathCount = pathCount;
      this.takesScore = takesScore;
    }

    /** Git's status letter; {@code '\0'} for {@link #BARE}. */
    public char letter() {
      return letter;
    }

    /** How many paths an entry of this status has: 2 for renames and copies, 1 otherwise. */
    public int pathCount() {
      return pathCount;
    }

    /** Whether git may print a score after the letter (R, C always; M with {@code -B}). */
    public boolean takesScore() {
      return takesScore;
    }

    /** The status git writes as {@code letter}, or null for a letter git does not use. */
    static Status ofLetter(char letter) {
      for (Status s : values()) {
        if (s != BARE && s.letter == letter) {
          return s;
        }
      }
      return null;
    }
  }
}
