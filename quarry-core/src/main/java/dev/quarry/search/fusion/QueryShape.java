package dev.quarry.search.fusion;

import java.util.regex.Pattern;

/**
 * What a query looks like, as far as fusion cares: a name to look up ({@code Router}, {@code
 * basic_format_args}, {@code io.Reader}) or words that describe something ("how the router matches
 * a path"). The lexical leg finds a name where it is defined and used; a description is where the
 * semantic leg earns its keep. Fusion weighs the two legs differently for each shape ({@link
 * FusionWeights}).
 */
public enum QueryShape {
  /** One or two tokens, each a single word or an identifier. */
  SYMBOL,
  /** Anything else: a phrase or a question. */
  PROSE;

  /** A word or identifier: letters, digits, and the joints of qualified names and calls. */
  private static final Pattern NAME =
      Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$.:#<>\\-]*(\\(\\))?");

  /** The shape of {@code query}. */
  public static QueryShape of(String query) {
    String[] tokens = query.strip().split("\\s+");
    if (tokens.length == 0 || tokens.length > 2 || tokens[0].isEmpty()) {
      return PROSE;
    }
    for (String token : tokens) {
      if (!NAME.matcher(token).matches()) {
        return PROSE;
      }
    }
    return SYMBOL;
  }
}
