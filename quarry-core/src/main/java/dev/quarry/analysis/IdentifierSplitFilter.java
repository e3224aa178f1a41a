package dev.quarry.analysis;

import java.io.IOException;
import java.util.Arrays;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * Emits each token, then, stacked at the same position, its parts when it is a compound identifier:
 * split at '_', '.', '$', '-', lower-to-upper case changes ({@code getUser} → get, User), acronym
 * ends ({@code HTTPServer} → HTTP, Server) and letter-digit boundaries ({@code utf8} → utf, 8).
 *
 * <p>Quarry's own replacement for {@code WordDelimiterGraphFilter} + {@code FlattenGraphFilter}:
 * those build and flatten a token graph, which profiling showed to be the largest cost of indexing
 * source code. Stacked parts need no graph because Quarry's queries are bags of terms.
 */
final class IdentifierSplitFilter extends TokenFilter {
  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);
  private final PositionIncrementAttribute position =
      addAttribute(PositionIncrementAttribute.class);

  /** Pending parts of the current token as [start, end) pairs into {@link #buffer}. */
  private int[] parts = new int[16];

  private int partCount;
  private int nextPart;
  private char[] buffer = new char[64];
  private int tokenStartOffset;

  IdentifierSplitFilter(TokenStream input) {
    super(input);
  }

  @Override
  public boolean incrementToken() throws IOException {
    if (nextPart < partCount) {
      int start = parts[2 * nextPart];
      int end = parts[2 * nextPart + 1];
      nextPart++;
      term.copyBuffer(buffer, start, end - start);
      offset.setOffset(tokenStartOffset + start, tokenStartOffset + end);
      position.setPositionIncrement(0);
      return true;
    }
    if (!input.incrementToken()) {
      return false;
    }
    split();
    return true;
  }

  /**
   * Finds the parts of the current token; keeps them for the next calls if there are two or more.
   */
  private void split() {
    int length = term.length();
    char[] chars = term.buffer();
    partCount = 0;
    nextPart = 0;
    int start = -1;
    for (int i = 0; i < length; i++) {
      char c = chars[i];
      if (c < 0x80 ? ASCII_KINDS[c] == NOT_WORD : !Character.isLetterOrDigit(c)) {
        if (start >= 0) {
          addPart(start, i);
          start = -1;
        }
        continue;
      }
      if (start >= 0 && isBoundary(chars, i, length)) {
        addPart(start, i);
        start = i;
      } else if (start < 0) {
        start = i;
      }
    }
    if (start >= 0) {
      addPart(start, length);
    }
    if (partCount < 2) {
      partCount = 0; // a plain word: nothing to stack
      return;
    }
    if (buffer.length < length) {
      buffer = new char[Math.max(length, buffer.length * 2)];
    }
    System.arraycopy(chars, 0, buffer, 0, length);
    tokenStartOffset = offset.startOffset();
  }

  /** ASCII characters by kind: most of source code, classified without Unicode's tables. */
  private static final byte NOT_WORD = 0;

  private static final byte LOWER = 1;
  private static final byte UPPER = 2;
  private static final byte DIGIT = 3;
  private static final byte[] ASCII_KINDS = new byte[0x80];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      ASCII_KINDS[c] = LOWER;
    }
    for (char c = 'A'; c <= 'Z'; c++) {
      ASCII_KINDS[c] = UPPER;
    }
    for (char c = '0'; c <= '9'; c++) {
      ASCII_KINDS[c] = DIGIT;
    }
  }

  private static boolean isBoundary(char[] c, int i, int length) {
    char prev = c[i - 1];
    char cur = c[i];
    if ((prev | cur) < 0x80) { // both ASCII: the same rules as below, by table
      byte before = ASCII_KINDS[prev];
      byte kind = ASCII_KINDS[cur];
      if (before == LOWER && kind == UPPER) {
        return true;
      }
      if (before == UPPER && kind == UPPER && i + 1 < length) {
        char next = c[i + 1];
        if (next < 0x80 ? ASCII_KINDS[next] == LOWER : Character.isLowerCase(next)) {
          return true;
        }
      }
      return (before == DIGIT) != (kind == DIGIT);
    }
    if (Character.isLowerCase(prev) && Character.isUpperCase(cur)) {
      return true; // getUser
    }
    if (Character.isUpperCase(prev)
        && Character.isUpperCase(cur)
        && i + 1 < length
        && Character.isLowerCase(c[i + 1])) {
      return true; // HTTPServer: the acronym ends before 'S'
    }
    return Character.isDigit(prev) != Character.isDigit(cur); // utf8, v2Api
  }

  private void addPart(int start, int end) {
    if (2 * partCount + 2 > parts.length) {
      parts = Arrays.copyOf(parts, parts.length * 2);
    }
    parts[2 * partCount] = start;
    parts[2 * partCount + 1] = end;
    partCount++;
  }

  @Override
  public void reset() throws IOException {
    super.reset();
    partCount = 0;
    nextPart = 0;
  }
}
