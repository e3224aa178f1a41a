package dev.quarry.chunk;

import java.util.ArrayList;
import java.util.List;

/** A test tokenizer: one token per run of non-whitespace, so budgets are easy to reason about. */
final class WordTokenizer implements Tokenizer {
  @Override
  public TokenSpans tokenize(String text) {
    List<int[]> spans = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i > start) {
        spans.add(new int[] {start, i});
      }
    }
    int[] starts = new int[spans.size()];
    int[] ends = new int[spans.size()];
    for (int t = 0; t < spans.size(); t++) {
      starts[t] = spans.get(t)[0];
      ends[t] = spans.get(t)[1];
    }
    return TokenSpans.of(starts, ends);
  }
}
