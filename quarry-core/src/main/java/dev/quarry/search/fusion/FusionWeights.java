package dev.quarry.search.fusion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Properties;

/**
 * The lexical leg's share of a hybrid score, per {@link QueryShape}; the semantic leg has the rest.
 * Equal shares let a weak leg drag a strong one down (on code, plain RRF scored below semantic
 * alone), so each shipped model has shares fitted on training data (never on the queries an
 * evaluation reports): {@code fusion-weights.properties}, written from {@code quarry eval
 * --fit-fusion} (BENCHMARKS.md, "Fusion").
 *
 * @param symbol the lexical share for {@link QueryShape#SYMBOL} queries, in [0, 1]
 * @param prose the lexical share for {@link QueryShape#PROSE} queries, in [0, 1]
 * @param proseAmidCode the lexical share for {@link QueryShape#PROSE_AMID_CODE} queries, in [0, 1]
 * @param proseOverCode the lexical share for {@link QueryShape#PROSE_OVER_CODE} queries, in [0, 1]
 */
public record FusionWeights(
    double symbol, double prose, double proseAmidCode, double proseOverCode) {
  /** Equal say for both legs, whatever the query: for models with no fitted shares. */
  public static final FusionWeights EQUAL = new FusionWeights(0.5, 0.5, 0.5, 0.5);

  private static final String FITTED = "fusion-weights.properties";

  public FusionWeights {
    check("symbol", symbol);
    check("prose", prose);
    check("prose-amid-code", proseAmidCode);
    check("prose-over-code", proseOverCode);
  }

  /** The same share for every shape. */
  public static FusionWeights uniform(double lexicalShare) {
    return new FusionWeights(lexicalShare, lexicalShare, lexicalShare, lexicalShare);
  }

  /** The lexical share for a query of {@code shape}. */
  public double lexicalShare(QueryShape shape) {
    return switch (shape) {
      case SYMBOL -> symbol;
      case PROSE -> prose;
      case PROSE_AMID_CODE -> proseAmidCode;
      case PROSE_OVER_CODE -> proseOverCode;
    };
  }

  /**
   * The shares fitted for the model named {@code model} (case-insensitive), or {@link #EQUAL} when
   * none were (a remote model, say).
   */
  public static FusionWeights fittedFor(String model) {
    Properties fitted = Holder.FITTED_SHARES;
    String key = model.toLowerCase(Locale.ROOT);
    String symbol = fitted.getProperty(key + ".symbol");
    String prose = fitted.getProperty(key + ".prose");
    String proseAmidCode = fitted.getProperty(key + ".prose-amid-code");
    String proseOverCode = fitted.getProperty(key + ".prose-over-code");
    if (symbol == null || prose == null || proseAmidCode == null || proseOverCode == null) {
      return EQUAL;
    }
    return new FusionWeights(
        Double.parseDouble(symbol),
        Double.parseDouble(prose),
        Double.parseDouble(proseAmidCode),
        Double.parseDouble(proseOverCode));
  }

  private static void check(String shape, double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException(
          "the lexical share of " + shape + " queries must be in [0, 1], got " + share);
    }
  }

  /** Read once, on first use. */
  private static final class Holder {
    static final Properties FITTED_SHARES = load();

    private static Properties load() {
      Properties properties = new Properties();
      try (InputStream in = FusionWeights.class.getResourceAsStream(FITTED)) {
        if (in != null) {
          properties.load(in);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + FITTED, e);
      }
      return properties;
    }
  }
}
