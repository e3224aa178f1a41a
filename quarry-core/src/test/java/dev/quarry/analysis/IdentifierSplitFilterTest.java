package dev.quarry.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.Test;

/**
 * The filter's parts are those of the rules stated with Unicode's predicates (below, as they read
 * before ASCII got a table of its own), on random identifiers mixing ASCII and other scripts.
 */
class IdentifierSplitFilterTest {
  private static final String ALPHABET = "abcxyzABCXYZ0189_.$-éÉßΩωİı中ª²٣ǅ";

  @Test
  void partsAreThoseOfTheUnicodeRulesOnRandomIdentifiers() throws IOException {
    Random random = new Random(20261203L);
    StringBuilder text = new StringBuilder();
    List<String> expected = new ArrayList<>();
    for (int n = 0; n < 20_000; n++) {
      StringBuilder word = new StringBuilder();
      int length = 1 + random.nextInt(12);
      for (int i = 0; i < length; i++) {
        word.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      text.append(word).append(' ');
      expected.add(word.toString());
      List<String> parts = referenceParts(word.toString());
      if (parts.size() >= 2) {
        expected.addAll(parts);
      }
    }
    assertThat(filtered(text.toString())).isEqualTo(expected);
  }

  private static List<String> filtered(String text) throws IOException {
    List<String> terms = new ArrayList<>();
    WhitespaceTokenizer tokenizer = new WhitespaceTokenizer();
    tokenizer.setReader(new StringReader(text));
    try (TokenStream stream = new IdentifierSplitFilter(tokenizer)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        terms.add(term.toString());
      }
      stream.end();
    }
    return terms;
  }

  private static List<String> referenceParts(String word) {
    List<String> parts = new ArrayList<>();
    char[] c = word.toCharArray();
    int start = -1;
    for (int i = 0; i < c.length; i++) {
      if (!Character.isLetterOrDigit(c[i])) {
        if (start >= 0) {
          parts.add(word.substring(start, i));
          start = -1;
        }
        continue;
      }
      if (start >= 0 && referenceBoundary(c, i)) {
        parts.add(word.substring(start, i));
        start = i;
      } else if (start < 0) {
        start = i;
      }
    }
    if (start >= 0) {
      parts.add(word.substring(start));
    }
    return parts;
  }

  private static boolean referenceBoundary(char[] c, int i) {
    char prev = c[i - 1];
    char cur = c[i];
    if (Character.isLowerCase(prev) && Character.isUpperCase(cur)) {
      return true;
    }
    if (Character.isUpperCase(prev)
        && Character.isUpperCase(cur)
        && i + 1 < c.length
        && Character.isLowerCase(c[i + 1])) {
      return true;
    }
    return Character.isDigit(prev) != Character.isDigit(cur);
  }
}
