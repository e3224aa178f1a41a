package dev.quarry.search.fusion;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QueryShapeTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "Router",
        "basic_format_args",
        "io.Reader",
        "std::vector",
        "parseArgs()",
        "  CompletionOptions  ",
        "Command Builder",
        "$http",
        "Foo#bar"
      })
  void namesAreSymbols(String query) {
    assertThat(QueryShape.of(query, false)).isEqualTo(QueryShape.SYMBOL);
    assertThat(QueryShape.of(query, true)).isEqualTo(QueryShape.SYMBOL);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "how the router matches a path",
        "python check if a variable is iterable",
        "where is bats_pipe defined",
        "0-dimensional biomaterials lack inductive properties.",
        "what is x?",
        "1 in 5",
        "",
        "   "
      })
  void phrasesAndQuestionsAreProse(String query) {
    assertThat(QueryShape.of(query, false)).isEqualTo(QueryShape.PROSE);
    assertThat(QueryShape.of(query, true)).isEqualTo(QueryShape.PROSE_OVER_CODE);
  }
}
