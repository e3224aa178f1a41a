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
    for (QueryShape.Matches matches : QueryShape.Matches.values()) {
      assertThat(QueryShape.of(query, matches)).isEqualTo(QueryShape.SYMBOL);
    }
    assertThat(QueryShape.isSymbol(query)).isTrue();
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
    assertThat(QueryShape.of(query, QueryShape.Matches.TEXT)).isEqualTo(QueryShape.PROSE);
    assertThat(QueryShape.of(query, QueryShape.Matches.TEXT_AMID_CODE))
        .isEqualTo(QueryShape.PROSE_AMID_CODE);
    assertThat(QueryShape.of(query, QueryShape.Matches.CODE)).isEqualTo(QueryShape.PROSE_OVER_CODE);
    assertThat(QueryShape.isSymbol(query)).isFalse();
  }
}
