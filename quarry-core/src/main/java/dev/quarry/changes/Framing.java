package dev.quarry.changes;

/** How the records of a change list are separated. */
public enum Framing {
  /**
   * One record per line, separated by {@code '\n'}; a trailing {@code '\r'} is stripped and blank
   * lines (empty or only whitespace) are skipped. Git's quoted paths are unquoted.
   */
  LINES,
  /**
   * Records separated by NUL bytes, as {@code find -print0} and {@code git diff --name-status -z}
   * write them; a trailing NUL is normal. Paths are taken byte for byte, never unquoted.
   */
  NUL
}
