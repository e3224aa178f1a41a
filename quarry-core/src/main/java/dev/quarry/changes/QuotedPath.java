package dev.quarry.changes;

import java.io.ByteArrayOutputStream;

/**
 * Git's C-style quoting of paths with special characters (core.quotePath): {@code "dir/caf\303\251
 * \"x\".txt"}. Octal escapes are raw bytes; the caller decodes the result.
 */
final class QuotedPath {
  private static final String ESCAPES =
      "git writes \\\\, \\\", \\a, \\b, \\t, \\n, \\v, \\f, \\r, or three octal digits 000 to 377 such as \\303";

  private QuotedPath() {}

  /** Whether {@code b[from, to)} is quoted: it starts with a double quote. */
  static boolean isQuoted(byte[] b, int from, int to) {
    return from < to && b[from] == '"';
  }

  /**
   * The bytes {@code b[from, to)} stands for; it must start with a quote and end with its closing
   * quote.
   */
  static byte[] unquote(byte[] b, int from, int to) throws MalformedRecordException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
    int i = from + 1;
    while (i < to) {
      byte c = b[i];
      if (c == '"') {
        if (i + 1 != to) {
          throw new MalformedRecordException(
              "text after the closing quote of a quoted path: a quote inside the path must be written \\\"");
        }
        return out.toByteArray();
      }
      if (c != '\\') {
        out.write(c);
        i++;
        continue;
      }
      if (i + 1 == to) {
        break;
      }
      byte e = b[i + 1];
      int octal = octal(b, i + 1, to);
      if (octal >= 0) {
        out.write(octal);
        i += 4;
        continue;
      }
      int value =
          switch (e) {
            case '\\' -> '\\';
            case '"' -> '"';
            case 'a' -> 7;
            case 'b' -> '\b';
            case 't' -> '\t';
            case 'n' -> '\n';
            case 'v' -> 11;
            case 'f' -> '\f';
            case 'r' -> '\r';
            default -> -1;
          };
      if (value < 0) {
        throw new MalformedRecordException(
            "bad escape " + escapeText(b, i, to) + " in quoted path: " + ESCAPES);
      }
      out.write(value);
      i += 2;
    }
    throw new MalformedRecordException(
        "unterminated quoted path: expected a closing '\"' at the end");
  }

  /** The byte written as three octal digits at {@code b[at]}, or -1 if there are not three. */
  private static int octal(byte[] b, int at, int to) {
    if (at + 3 > to || b[at] < '0' || b[at] > '3') {
      return -1;
    }
    for (int k = 1; k < 3; k++) {
      if (b[at + k] < '0' || b[at + k] > '7') {
        return -1;
      }
    }
    return (b[at] - '0') * 64 + (b[at + 1] - '0') * 8 + (b[at + 2] - '0');
  }

  /**
   * The escape starting at the backslash {@code b[at]}, for a message: {@code '\q'}, {@code
   * '\38x'}.
   */
  private static String escapeText(byte[] b, int at, int to) {
    boolean numeric = at + 1 < to && b[at + 1] >= '0' && b[at + 1] <= '9';
    int end = Math.min(to, at + (numeric ? 4 : 2));
    StringBuilder s = new StringBuilder("'");
    for (int k = at; k < end; k++) {
      s.append(
          b[k] > 0x20 && b[k] < 0x7f
              ? String.valueOf((char) b[k])
              : String.format("<0x%02x>", b[k] & 0xff));
    }
    return s.append('\'').toString();
  }
}
