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
 * leg's scores first divided by its best (an item a leg did not return counts 0 there). Unlike rank
 * fusion it keeps how far apart the hits are: a BM25 hit far above the rest stays far above, and a
 * share near 1 or 0 lets the stronger leg decide (Bruch, Gai and Ingber, "An Analysis of Fusion
 * Functions for Hybrid Retrieval", 2023).
 *
 * <p>The floor of each leg's scale is the score's theoretical least, 0 (BM25 scores are positive,
 * and so are the cosines of texts a model finds related at all), not the least score in the list:
 * the file reranking after fusion weighs hits by their ratios to the best, and min-max scaling
 * changed those ratios, so even a share of 1 ranked unlike lexical search (code search 0.815
 * against lexical's 0.829 with minilm-static). With the floor at 0, share 1 is lexical search and
 * share 0 semantic search, and any share between can be compared with both. A leg with negative
 * scores is scaled from its least.
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
    double floor = 0;
    double max = Double.NEGATIVE_INFINITY;
    for (S s : list) {
      floor = Math.min(floor, score.applyAsDouble(s));
      max = Math.max(max, score.applyAsDouble(s));
    }
    double range = max - floor;
    for (S s : list) {
      // A list of scores all at the floor says only that its items matched: all count 1.
      double normalised = range > 0 ? (score.applyAsDouble(s) - floor) / range : 1;
      fused.merge(key.apply(s), weight * normalised, Double::sum);
    }
  }
}
