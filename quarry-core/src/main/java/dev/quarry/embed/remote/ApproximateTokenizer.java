package dev.quarry.embed.remote;

import dev.quarry.chunk.TokenSpans;
import dev.quarry.chunk.Tokenizer;

/**
 * Token counts for a remote model whose tokenizer Quarry does not have. Deliberately conservative,
 * so chunks stay inside the model's window: every run of letters or digits is cut into tokens of at
 * most {@value #PIECE} chars, and every other non-space char is a token of its own. BPE and
 * WordPiece tokenizers give about 4 chars per token on English and fewer on code; this gives at
 * most 3, so it over-counts (smaller chunks, never truncated ones) on both.
 */
final class ApproximateTokenizer implements Tokenizer {
  static final int PIECE = 3;

  @Override
  public TokenSpans tokenize(String text) {
    int[] starts = new int[16];
    int[] ends = new int[16];
    int n = 0;
    int i = 0;
    int length = text.length();
    while (i < length) {
      int c = text.codePointAt(i);
      int width = Character.charCount(c);
      if (Character.isWhitespace(c)) {
        i += width;
        continue;
      }
      int start = i;
      if (Character.isLetterOrDigit(c)) {
        int pieces = 0;
        while (i < length && pieces < PIECE) {
          int d = text.codePointAt(i);
          if (!Character.isLetterOrDigit(d)) {
            break;
          }
          i += Character.charCount(d);
          pieces++;
        }
      } else {
        i += width;
      }
      if (n == starts.length) {
        starts = java.util.Arrays.copyOf(starts, n * 2);
        ends = java.util.Arrays.copyOf(ends, n * 2);
      }
      starts[n] = start;
      ends[n] = i;
      n++;
    }
    return TokenSpans.of(java.util.Arrays.copyOf(starts, n), java.util.Arrays.copyOf(ends, n));
  }
}
