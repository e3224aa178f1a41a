package dev.quarry.search.fusion;

import java.util.regex.Pattern;

/**
 * What a query looks like and what it searches, as far as fusion cares: a name to look up ({@code
 * Router}, {@code basic_format_args}, {@code io.Reader}), or words that describe something ("how
 * the router matches a path") in text, in the docs of a body of code, or in code. The lexical leg
 * finds a name where it is defined and used; a description is where the semantic leg earns its
 * keep, the more so over code, whose words are not the question's ("check if a variable is
 * iterable" against {@code isinstance(x, Iterable)}). Fusion weighs the two legs differently for
 * each shape ({@link FusionWeights}).
 */
public enum QueryShape {
  /** One or two tokens, each a single word or an identifier. */
  SYMBOL,
  /** A phrase or a question whose best matches are text (prose, Markdown, PDF), among text. */
  PROSE,
  /**
   * A phrase or a question whose best matches are text among code: a project's docs, READMEs and
   * comments. A prose embedding model ranks any paragraph that reads like the question above the
   * code it describes, so its say is smaller here than over a tree of text.
   */
  PROSE_AMID_CODE,
  /** A phrase or a question whose best matches are code. */
  PROSE_OVER_CODE;

  /** Where a query's matches lie, as far as the prose shapes differ. */
  public enum Matches {
    /** The best matches are text, and so are most of the rest. */
    TEXT,
    /** The best matches are text, most of the rest code. */
    TEXT_AMID_CODE,
    /** The best matches are code. */
    CODE
  }

  /** A word or identifier: letters, digits, and the joints of qualified names and calls. */
  private static final Pattern NAME =
      Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$.:#<>\\-]*(\\(\\))?");

  /** The shape of {@code query}, whose matches lie where {@code matches} says. */
  public static QueryShape of(String query, Matches matches) {
    if (isSymbol(query)) {
      return SYMBOL;
    }
    return switch (matches) {
      case TEXT -> PROSE;
      case TEXT_AMID_CODE -> PROSE_AMID_CODE;
      case CODE -> PROSE_OVER_CODE;
    };
  }

  /** Whether {@code query} is one or two tokens, each a word or an identifier. */
  public static boolean isSymbol(String query) {
    String[] tokens = query.strip().split("\\s+");
    if (tokens.length == 0 || tokens.length > 2 || tokens[0].isEmpty()) {
      return false;
    }
    for (String token : tokens) {
      if (!NAME.matcher(token).matches()) {
        return false;
      }
    }
    return true;
  }
}
