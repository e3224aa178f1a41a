package dev.quarry.cli;

/**
 * Text that came from the tree (file names, file content, failure causes that quote them) made safe
 * to print for a person. A terminal obeys what it is sent: ESC and C1 sequences retitle the window,
 * clear the screen or write the clipboard (OSC 52), BEL rings, CR and LF forge or split lines, and
 * direction controls reorder what is shown. Each such character is printed as an escape instead:
 * {@code \xHH} for C0 controls, DEL and C1 controls ({@code \x1b}, {@code \x0a}, {@code \x9b}), a
 * backslash, u and four hex digits for the Unicode direction controls. Tab stays: it is harmless
 * and common in code.
 *
 * <p>Every printer of human output passes such text through {@link #safe}; JSON output does not
 * need to, Jackson escapes control characters. A backslash is left as it is (code is full of them),
 * so {@code --json} is the exact form where a name could hold {@code \x1b} as text.
 */
final class TerminalText {
  private TerminalText() {}

  /** {@code text} with every control character but tab written as an escape; null as "null". */
  static String safe(Object text) {
    String s = String.valueOf(text);
    int first = firstUnsafe(s);
    if (first < 0) {
      return s; // the usual case, without a copy: 'files' prints a line per indexed file
    }
    StringBuilder out = new StringBuilder(s.length() + 16).append(s, 0, first);
    for (int i = first; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!isUnsafe(c)) {
        out.append(c);
      } else if (c < 0x100) {
        out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xF]);
      } else {
        out.append("\\u")
            .append(HEX[c >> 12])
            .append(HEX[(c >> 8) & 0xF])
            .append(HEX[(c >> 4) & 0xF])
            .append(HEX[c & 0xF]);
      }
    }
    return out.toString();
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private static int firstUnsafe(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (isUnsafe(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * C0 but tab, DEL, C1, and the direction controls that reorder a line's display (ALM, LRM, RLM,
   * the embeddings and overrides U+202A..U+202E, the isolates U+2066..U+2069).
   */
  static boolean isUnsafe(char c) {
    if (c < 0xA0) {
      return (c < 0x20 && c != '\t') || c >= 0x7F;
    }
    return c == '\u061C'
        || c == '\u200E'
        || c == '\u200F'
        || (c >= '\u202A' && c <= '\u202E')
        || (c >= '\u2066' && c <= '\u2069');
  }
}
