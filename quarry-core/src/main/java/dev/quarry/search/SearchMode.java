package dev.quarry.search;

import java.util.Arrays;
import java.util.Locale;

/** How a query is matched. */
public enum SearchMode {
  /** BM25 over chunk text, heading paths and file paths. */
  LEXICAL,
  /** k-nearest-neighbour search over chunk vectors. */
  SEMANTIC,
  /** Both, fused by reciprocal rank. */
  HYBRID;

  /** Parses "lexical", "semantic" or "hybrid"; the error lists the choices. */
  public static SearchMode parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown search mode '"
              + text
              + "'; choose one of "
              + Arrays.stream(values()).map(m -> m.name().toLowerCase(Locale.ROOT)).toList());
    }
  }
}
