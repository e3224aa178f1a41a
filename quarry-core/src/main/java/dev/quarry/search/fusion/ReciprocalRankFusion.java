package dev.quarry.search.fusion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009): an item's fused score is the sum
 * over lists of {@code weight / (k + rank)}. It needs no score calibration between BM25 and cosine,
 * which live on unrelated scales.
 *
 * @param k dampens the weight of top ranks; 60 is the value of the original paper and a robust
 *     default
 */
public record ReciprocalRankFusion(int k) {
  public static final int DEFAULT_K = 60;

  public ReciprocalRankFusion {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
  }

  /** A ranked list and its weight in the fusion. */
  public record RankedList<T>(List<T> items, double weight) {}

  /** One fused item with its score. */
  public record Fused<T>(T item, double score) {}

  /**
   * Fuses ranked lists of keys. Ties keep the order in which items were first seen across lists, so
   * the fusion is deterministic.
   */
  public <T> List<Fused<T>> fuse(List<RankedList<T>> lists) {
    Map<T, Double> scores = new LinkedHashMap<>();
    for (RankedList<T> list : lists) {
      for (int rank = 0; rank < list.items().size(); rank++) {
        scores.merge(list.items().get(rank), list.weight() / (k + rank + 1), Double::sum);
      }
    }
    Map<T, Integer> firstSeen = new HashMap<>();
    for (T key : scores.keySet()) {
      firstSeen.put(key, firstSeen.size());
    }
    List<Fused<T>> fused = new ArrayList<>(scores.size());
    scores.forEach((key, score) -> fused.add(new Fused<>(key, score)));
    fused.sort(
        Comparator.<Fused<T>>comparingDouble(Fused::score)
            .reversed()
            .thenComparing(f -> firstSeen.get(f.item())));
    return fused;
  }
}
