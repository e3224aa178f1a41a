package dev.quarry.chunk;

import dev.quarry.embed.TokenSpans;
import dev.quarry.embed.Tokenizer;
import java.util.ArrayList;
import dev.quarry.embed.TestTokenSpans;
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
    return TestTokenSpans.of(spans);
  }
}
