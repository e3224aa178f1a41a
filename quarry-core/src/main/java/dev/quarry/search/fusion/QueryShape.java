package dev.quarry.search.fusion;

import java.util.regex.Pattern;

/**
 * What a query looks like and what it searches, as far as fusion cares: a name to look up ({@code
 * Router}, {@code basic_format_args}, {@code io.Reader}), or words that describe something ("how
 * the router matches a path") in text or in code. The lexical leg finds a name where it is defined
 * and used; a description is where the semantic leg earns its keep, the more so over code, whose
 * words are not the question's ("check if a variable is iterable" against {@code isinstance(x,
 * Iterable)}). Fusion weighs the two legs differently for each shape ({@link FusionWeights}).
 */
public enum QueryShape {
  /** One or two tokens, each a single word or an identifier. */
  SYMBOL,
  /** A phrase or a question whose best matches are text (prose, Markdown, PDF). */
  PROSE,
  /** A phrase or a question whose best matches are code. */
  PROSE_OVER_CODE;

  /** A word or identifier: letters, digits, and the joints of qualified names and calls. */
  private static final Pattern NAME =
      Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$.:#<>\\-]*(\\(\\))?");

  /**
   * The shape of {@code query}.
   *
   * @param overCode whether its best matches are mostly code
   */
  public static QueryShape of(String query, boolean overCode) {
    QueryShape prose = overCode ? PROSE_OVER_CODE : PROSE;
    String[] tokens = query.strip().split("\\s+");
    if (tokens.length == 0 || tokens.length > 2 || tokens[0].isEmpty()) {
      return prose;
    }
    for (String token : tokens) {
      if (!NAME.matcher(token).matches()) {
        return prose;
      }
    }
    return SYMBOL;
  }
}
