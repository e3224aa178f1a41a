package dev.quarry.cli;

import dev.quarry.Quarry;
import dev.quarry.search.SearchMode;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;

/**
 * Options whose values form a closed set: each a converter that keeps the library's message (it
 * lists the choices) and the choices in lower case as picocli's completion candidates, shown in
 * help by {@code ${COMPLETION-CANDIDATES}}.
 */
final class Choices {
  private Choices() {}

  /** The shipped embedding models, for help texts ({@code ${COMPLETION-CANDIDATES}}). */
  static final class Models implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Quarry.models().iterator();
    }
  }

  /** {@code --mode} of {@code quarry search}: hybrid, lexical or semantic. */
  static final class SearchModes implements ITypeConverter<SearchMode>, Iterable<String> {
    @Override
    public SearchMode convert(String value) {
      return ValueConverters.parsed(value, SearchMode::parse);
    }

    @Override
    public Iterator<String> iterator() {
      return List.of("hybrid", "lexical", "semantic").iterator();
    }
  }

  /** {@code --mode} of {@code quarry eval}: one search mode, or all three in turn. */
  enum EvalMode {
    LEXICAL(List.of(SearchMode.LEXICAL)),
    SEMANTIC(List.of(SearchMode.SEMANTIC)),
    HYBRID(List.of(SearchMode.HYBRID)),
    ALL(List.of(SearchMode.LEXICAL, SearchMode.SEMANTIC, SearchMode.HYBRID));

    private final List<SearchMode> modes;

    EvalMode(List<SearchMode> modes) {
      this.modes = modes;
    }

    /** The search modes evaluated, in the order they are run. */
    List<SearchMode> modes() {
      return modes;
    }
  }

  /** Converts and lists {@link EvalMode}s. */
  static final class EvalModes implements ITypeConverter<EvalMode>, Iterable<String> {
    @Override
    public EvalMode convert(String value) {
      if ("all".equalsIgnoreCase(value.trim())) {
        return EvalMode.ALL;
      }
      return EvalMode.valueOf(new SearchModes().convert(value).name());
    }

    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(EvalMode.values())
          .map(m -> m.name().toLowerCase(Locale.ROOT))
          .iterator();
    }
  }
}
