package dev.quarry.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.Test;

class CodeAnalyzerTest {
  private static List<String> terms(String text) throws IOException {
    List<String> terms = new ArrayList<>();
    try (CodeAnalyzer analyzer = new CodeAnalyzer();
        TokenStream ts = analyzer.tokenStream("text", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        terms.add(term.toString());
      }
      ts.end();
    }
    return terms;
  }

  @Test
  void camelCaseIsSplitAndTheWholeIdentifierKept() throws IOException {
    assertThat(terms("getUserName")).containsExactlyInAnyOrder("getusernam", "get", "user", "name");
  }

  @Test
  void snakeCaseAndDottedNamesAreSplit() throws IOException {
    assertThat(terms("parse_config_file")).contains("parse_config_fil", "pars", "config", "file");
    assertThat(terms("os.path.join")).contains("os", "path", "join");
  }

  @Test
  void proseIsLowercasedStemmedAndStopWordsDropped() throws IOException {
    assertThat(terms("The Running of the Services")).containsExactly("run", "servic");
  }
}
