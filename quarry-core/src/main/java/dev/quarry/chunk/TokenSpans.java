package dev.quarry.chunk;

/**
 * Where a model's tokenizer puts token boundaries in a text (special tokens excluded): token {@code
 * i} covers chars {@code [start(i), end(i))}. Chunkers use it to bound chunks by the model's real
 * token count instead of guessing from characters.
 */
public final class TokenSpans {
  private final int[] starts;
  private final int[] ends;

  /** Token {@code i} covers chars {@code [starts[i], ends[i])}; the arrays are not copied. */
  public static TokenSpans of(int[] starts, int[] ends) {
    return new TokenSpans(starts, ends);
  }

  private TokenSpans(int[] starts, int[] ends) {
    if (starts.length != ends.length) {
      throw new IllegalArgumentException("starts and ends differ in length");
    }
    this.starts = starts;
    this.ends = ends;
  }

  public int count() {
    return starts.length;
  }

  public int start(int token) {
    return starts[token];
  }

  public int end(int token) {
    return ends[token];
  }

  /** Index of the first token starting at or after char offset {@code offset} (count() if none). */
  public int firstTokenAtOrAfter(int offset) {
    int lo = 0;
    int hi = starts.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (starts[mid] < offset) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
