package dev.quarry.eval;

import dev.quarry.search.Ranking;
import dev.quarry.search.fusion.FusionWeights;
import dev.quarry.search.fusion.QueryShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Hybrid search scored over a grid of lexical shares, for each fusion method and query: what {@link
 * FusionWeights} are fitted from. Every query is searched once per method and share and its score
 * kept, so fits on any subset (a query shape, a fold of repositories) need no more searching.
 */
public final class FusionSweep {
  /** The lexical shares tried: 0 (semantic only) to 1 (lexical only), by tenths. */
  public static final int STEPS = 10;

  private final List<Trial> trials = new ArrayList<>();

  /**
   * One query's scores.
   *
   * @param group what the query belongs to (its repository), for folds
   * @param scores {@code scores[method.ordinal()][step]}: its score with lexical share {@code step
   *     / STEPS}
   */
  public record Trial(String group, QueryShape shape, double[][] scores) {}

  /** Searches one query under a ranking and scores the answer. */
  @FunctionalInterface
  public interface Scorer {
    double score(Ranking ranking) throws java.io.IOException;
  }

  /** Scores one query of {@code shape} under every method and share. */
  public void add(String group, QueryShape shape, Ranking base, Scorer scorer)
      throws java.io.IOException {
    Ranking.Fusion[] methods = Ranking.Fusion.values();
    double[][] scores = new double[methods.length][STEPS + 1];
    for (Ranking.Fusion method : methods) {
      for (int step = 0; step <= STEPS; step++) {
        scores[method.ordinal()][step] =
            scorer.score(base.withFusion(method, FusionWeights.uniform(share(step))));
      }
    }
    trials.add(new Trial(group, shape, scores));
  }

  public List<Trial> trials() {
    return List.copyOf(trials);
  }

  static double share(int step) {
    return (double) step / STEPS;
  }

  /** The best share for each shape over the trials {@code on} (ties: the share nearest 0.5). */
  public FusionWeights fit(Ranking.Fusion method, Predicate<Trial> on) {
    return new FusionWeights(
        bestShare(method, on.and(t -> t.shape() == QueryShape.SYMBOL)),
        bestShare(method, on.and(t -> t.shape() == QueryShape.PROSE)),
        bestShare(method, on.and(t -> t.shape() == QueryShape.PROSE_AMID_CODE)),
        bestShare(method, on.and(t -> t.shape() == QueryShape.PROSE_OVER_CODE)));
  }

  private double bestShare(Ranking.Fusion method, Predicate<Trial> on) {
    int best = STEPS / 2;
    double bestMean = mean(method, best, on);
    for (int step = 0; step <= STEPS; step++) {
      double m = mean(method, step, on);
      if (m > bestMean + 1e-12
          || (Math.abs(m - bestMean) <= 1e-12
              && Math.abs(step - STEPS / 2) < Math.abs(best - STEPS / 2))) {
        best = step;
        bestMean = m;
      }
    }
    return share(best);
  }

  /** Mean score over the trials {@code on} with lexical share {@code step / STEPS}. */
  public double mean(Ranking.Fusion method, int step, Predicate<Trial> on) {
    return trials.stream()
        .filter(on)
        .mapToDouble(t -> t.scores()[method.ordinal()][step])
        .average()
        .orElse(0);
  }

  /** Mean score over the trials {@code on} with {@code weights}. */
  public double mean(Ranking.Fusion method, FusionWeights weights, Predicate<Trial> on) {
    return trials.stream()
        .filter(on)
        .mapToDouble(
            t ->
                t.scores()[method.ordinal()][
                    (int) Math.round(weights.lexicalShare(t.shape()) * STEPS)])
        .average()
        .orElse(0);
  }

  /**
   * Two-fold cross-validation by group: the groups in name order alternate between two folds; each
   * fold is scored with the shares fitted on the other. The mean over all trials: what fitted
   * shares are worth on queries they were not fitted on.
   */
  public double crossValidated(Ranking.Fusion method) {
    List<String> groups =
        new ArrayList<>(new TreeSet<>(trials.stream().map(Trial::group).toList()));
    Predicate<Trial> first = t -> groups.indexOf(t.group()) % 2 == 0;
    FusionWeights fitFirst = fit(method, first);
    FusionWeights fitSecond = fit(method, first.negate());
    double sum = 0;
    for (Trial t : trials) {
      FusionWeights w = first.test(t) ? fitSecond : fitFirst;
      sum += t.scores()[method.ordinal()][(int) Math.round(w.lexicalShare(t.shape()) * STEPS)];
    }
    return trials.isEmpty() ? 0 : sum / trials.size();
  }

  /**
   * A table: mean score per share, method and shape (shapes no query has are left out); the fits;
   * the cross-validated scores.
   */
  public String report() {
    StringBuilder out = new StringBuilder();
    List<QueryShape> shapes = new ArrayList<>();
    StringBuilder counts = new StringBuilder();
    for (QueryShape shape : QueryShape.values()) {
      long n = trials.stream().filter(t -> t.shape() == shape).count();
      if (n > 0) {
        shapes.add(shape);
        counts.append(counts.isEmpty() ? "" : ", ").append(n).append(' ').append(name(shape));
      }
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%d queries (%s); lexical share 0 = semantic only, 1 = lexical only%n",
            trials.size(),
            counts));
    out.append(String.format(Locale.ROOT, "%-6s", "share"));
    for (Ranking.Fusion method : Ranking.Fusion.values()) {
      out.append(String.format(Locale.ROOT, " %22s", name(method) + ":all"));
      for (QueryShape shape : shapes) {
        out.append(String.format(Locale.ROOT, " %22s", name(method) + ":" + name(shape)));
      }
    }
    out.append('\n');
    for (int step = 0; step <= STEPS; step++) {
      out.append(String.format(Locale.ROOT, "%-6.1f", share(step)));
      for (Ranking.Fusion method : Ranking.Fusion.values()) {
        out.append(String.format(Locale.ROOT, " %22.4f", mean(method, step, t -> true)));
        for (QueryShape shape : shapes) {
          out.append(
              String.format(Locale.ROOT, " %22.4f", mean(method, step, t -> t.shape() == shape)));
        }
      }
      out.append('\n');
    }
    for (Ranking.Fusion method : Ranking.Fusion.values()) {
      FusionWeights fitted = fit(method, t -> true);
      out.append(
          String.format(
              Locale.ROOT,
              "%s: fitted symbol %.1f prose %.1f prose-amid-code %.1f prose-over-code %.1f -> %.4f"
                  + " on these queries;"
                  + " two-fold by group %.4f%n",
              name(method),
              fitted.symbol(),
              fitted.prose(),
              fitted.proseAmidCode(),
              fitted.proseOverCode(),
              mean(method, fitted, t -> true),
              crossValidated(method)));
    }
    return out.toString();
  }

  private static String name(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
