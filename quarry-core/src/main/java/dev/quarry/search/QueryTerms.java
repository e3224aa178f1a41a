package dev.quarry.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/** Runs the index analyzer over query text and snippet lines. */
final class QueryTerms {
  private final Analyzer analyzer;

  QueryTerms(Analyzer analyzer) {
    this.analyzer = analyzer;
  }

  /**
   * The first {@code max} distinct analyzed terms of {@code text}, in order of first appearance;
   * later ones are left out.
   */
  Set<String> terms(String field, String text, int max) {
    Set<String> terms = new LinkedHashSet<>();
    forEachToken(
        field,
        text,
        (term, start, end) -> {
          if (terms.size() < max) {
            terms.add(term);
          }
        });
    return terms;
  }

  /** Char ranges of {@code line} whose analyzed term is one of {@code terms}, merged, in order. */
  List<int[]> matches(String field, String line, Set<String> terms) {
    List<int[]> ranges = new ArrayList<>();
    forEachToken(
        field,
        line,
        (term, start, end) -> {
          if (terms.contains(term)) {
            ranges.add(new int[] {start, end});
          }
        });
    ranges.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(b[1], a[1]));
    List<int[]> merged = new ArrayList<>();
    for (int[] r : ranges) {
      if (!merged.isEmpty() && r[0] <= merged.get(merged.size() - 1)[1]) {
        int[] last = merged.get(merged.size() - 1);
        last[1] = Math.max(last[1], r[1]);
      } else {
        merged.add(new int[] {r[0], r[1]});
      }
    }
    return merged;
  }

  private interface TokenConsumer {
    void accept(String term, int start, int end);
  }

  private void forEachToken(String field, String text, TokenConsumer consumer) {
    try (TokenStream stream = analyzer.tokenStream(field, text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      OffsetAttribute offset = stream.addAttribute(OffsetAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        consumer.accept(term.toString(), offset.startOffset(), offset.endOffset());
      }
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException("analysis of an in-memory string cannot fail", e);
    }
  }
}
