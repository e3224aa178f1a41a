package dev.quarry.embed;

import java.util.List;

/** Builds {@link TokenSpans} for tests of other packages. */
public final class TestTokenSpans {
  private TestTokenSpans() {}

  public static TokenSpans of(List<int[]> spans) {
    int[] starts = new int[spans.size()];
    int[] ends = new int[spans.size()];
    for (int i = 0; i < spans.size(); i++) {
      starts[i] = spans.get(i)[0];
      ends[i] = spans.get(i)[1];
    }
    return new TokenSpans(starts, ends);
  }
}
