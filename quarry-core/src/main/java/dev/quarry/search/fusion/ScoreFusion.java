package dev.quarry.search.fusion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A convex combination of min-max normalised scores: {@code share * lexical + (1 - share) *
 * semantic}, each leg's scores first mapped onto [0, 1] over its own candidates (an item a leg did
 * not return counts 0 there). Unlike rank fusion it keeps how far apart the hits are: a BM25 hit
 * far above the rest stays far above, and a share near 1 or 0 lets the stronger leg decide (Bruch,
 * Gai and Ingber, "An Analysis of Fusion Functions for Hybrid Retrieval", 2023).
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
    add(fused, lexical, key, score, lexicalShare);
    add(fused, semantic, key, score, 1 - lexicalShare);
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

  private static <T, S> void add(
      Map<T, Double> fused,
      List<S> list,
      java.util.function.Function<S, T> key,
      ToDoubleFunction<S> score,
      double weight) {
    if (list.isEmpty()) {
      return;
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (S s : list) {
      min = Math.min(min, score.applyAsDouble(s));
      max = Math.max(max, score.applyAsDouble(s));
    }
    double range = max - min;
    for (S s : list) {
      // A list of equal scores (or one item) says only that its items matched: all count 1.
      double normalised = range > 0 ? (score.applyAsDouble(s) - min) / range : 1;
      fused.merge(key.apply(s), weight * normalised, Double::sum);
    }
  }
}
