package dev.quarry.changes;

import dev.quarry.changes.ChangeEntry.Status;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * The status field of a {@code git diff --name-status} entry: a letter and, for R, C and M, an
 * optional score of up to 3 digits ({@code R100}, {@code C75}, {@code M087}).
 *
 * @param text the field as written, for messages
 * @param status the status its letter names
 * @param score the score, if one was written
 */
record StatusToken(String text, Status status, OptionalInt score) {
  static final String EXPECTED =
      "expected A, M, D, T, U or X, or R or C with an optional similarity score such as R100";

  /** The usage of this status in a line, for messages: "M TAB path", "R100 TAB old TAB new". */
  String usage() {
    return status.pathCount() == 2 ? text + " TAB old TAB new" : text + " TAB path";
  }

  /**
   * Whether {@code b[from, to)} is shaped like a status, known or not: one or two ASCII capitals,
   * then digits. Two capitals catch the combined diffs of merges ({@code MM}), which are refused
   * rather than read as a path.
   */
  static boolean looksLikeStatus(byte[] b, int from, int to) {
    int letters = 0;
    while (from + letters < to && letters < 2 && isCapital(b[from + letters])) {
      letters++;
    }
    if (letters == 0) {
      return false;
    }
    for (int i = from + letters; i < to; i++) {
      if (!isDigit(b[i])) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the whole of {@code b} is a known status, the test that starts a git entry in NUL
   * framing: A, M, D, T, U or X, or R, C or M followed by up to 3 digits. The score's range is
   * checked later, by {@link #parse}, so that {@code R999} still takes its two paths with it.
   */
  static boolean isStatus(byte[] b) {
    if (b.length == 0 || b.length > 4) {
      return false;
    }
    Status status = Status.ofLetter((char) b[0]);
    if (status == null || (b.length > 1 && !status.takesScore())) {
      return false;
    }
    for (int i = 1; i < b.length; i++) {
      if (!isDigit(b[i])) {
        return false;
      }
    }
    return true;
  }

  /** Parses {@code b[from, to)}, which {@link #looksLikeStatus} accepted. */
  static StatusToken parse(byte[] b, int from, int to) throws MalformedRecordException {
    String text = new String(b, from, to - from, StandardCharsets.US_ASCII);
    if (text.length() > 1 && isCapital(b[from + 1])) {
      throw new MalformedRecordException(
          "unknown status '"
              + text
              + "' (the combined diff of a merge, one letter per parent, is not supported): "
              + EXPECTED);
    }
    Status status = Status.ofLetter(text.charAt(0));
    if (status == null) {
      throw new MalformedRecordException("unknown status '" + text + "': " + EXPECTED);
    }
    if (text.length() == 1) {
      return new StatusToken(text, status, OptionalInt.empty());
    }
    if (!status.takesScore()) {
      throw new MalformedRecordException(
          "status " + status.letter() + " takes no score, got '" + text + "': " + EXPECTED);
    }
    if (text.length() > 4) {
      throw new MalformedRecordException(
          "score of '" + text + "' has more than 3 digits: " + EXPECTED);
    }
    int score = Integer.parseInt(text.substring(1));
    if (score > 100) {
      throw new MalformedRecordException(
          "score of '" + text + "' is over 100: a score is a percentage, 0 to 100");
    }
    return new StatusToken(text, status, OptionalInt.of(score));
  }

  private static boolean isCapital(byte c) {
    return c >= 'A' && c <= 'Z';
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }
}
