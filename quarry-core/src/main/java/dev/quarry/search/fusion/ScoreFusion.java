package dev.quarry.search.fusion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A convex combination of normalised scores: {@code share * lexical + (1 - share) * semantic}, each
 * leg's scores first mapped onto [0, 1] (an item a leg did not return counts 0 there). Unlike rank
 * fusion it keeps how far apart the hits are: a BM25 hit far above the rest stays far above, and a
 * share near 1 or 0 lets the stronger leg decide (Bruch, Gai and Ingber, "An Analysis of Fusion
 * Functions for Hybrid Retrieval", 2023).
 *
 * <p>The legs' scales differ in where they start. BM25 has a true zero, no match, so lexical scores
 * are divided by the best: the file reranking after fusion weighs hits by their ratios to the best,
 * and scaling from the list's least changed those ratios, so even a share of 1 ranked unlike
 * lexical search (code search 0.815 against lexical's 0.829 with minilm-static). With the zero
 * kept, share 1 is lexical search. Cosines have no such zero: a model's unrelated texts sit well
 * above it and its candidates bunch in a narrow band, so semantic scores are spread from the list's
 * least to its best (min-max). Dividing cosines by the best too was tried: CoSQA with MiniLM wanted
 * a share of 0.1-0.2 then, which real repositories could not give (BENCHMARKS.md, "Fusion on a zero
 * floor").
 */
public final class ScoreFusion {
  private ScoreFusion() {}

  /** One fused item with its score. */
  public record Fused<T>(T item, double score) {}

  /**
   * Fuses two scored lists. Ties keep the order in which items were first seen (lexical first), so
   * the fusion is deterministic.
   *
   * @param lexicalShare the lexical leg's weight, in [0, 1]
   */
  public static <T, S> List<Fused<T>> fuse(
      List<S> lexical,
      List<S> semantic,
      java.util.function.Function<S, T> key,
      ToDoubleFunction<S> score,
      double lexicalShare) {
    Map<T, Double> fused = new LinkedHashMap<>();
    add(fused, lexical, key, score, lexicalShare, Floor.ZERO);
    add(fused, semantic, key, score, 1 - lexicalShare, Floor.LEAST);
    Map<T, Integer> firstSeen = new HashMap<>();
    fused.keySet().forEach(k -> firstSeen.put(k, firstSeen.size()));
    List<Fused<T>> out = new ArrayList<>(fused.size());
    fused.forEach((item, s) -> out.add(new Fused<>(item, s)));
    out.sort(
        Comparator.<Fused<T>>comparingDouble(Fused::score)
            .reversed()
            .thenComparing(f -> firstSeen.get(f.item())));
    return out;
  }

  /** Where a leg's scale starts. */
  private enum Floor {
    /** At 0: scores are divided by the best. */
    ZERO,
    /** At the list's least score: min-max. */
    LEAST
  }

  private static <T, S> void add(
      Map<T, Double> fused,
      List<S> list,
      java.util.function.Function<S, T> key,
      ToDoubleFunction<S> score,
      double weight,
      Floor from) {
    if (list.isEmpty()) {
      return;
    }
    double least = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (S s : list) {
      least = Math.min(least, score.applyAsDouble(s));
      max = Math.max(max, score.applyAsDouble(s));
    }
    // Zero, unless a score is below it (then there is no true zero to keep).
    double floor = from == Floor.ZERO ? Math.min(0, least) : least;
    double range = max - floor;
    for (S s : list) {
      // A list of scores all at the floor says only that its items matched: all count 1.
      double normalised = range > 0 ? (score.applyAsDouble(s) - floor) / range : 1;
      fused.merge(key.apply(s), weight * normalised, Double::sum);
    }
  }
}
