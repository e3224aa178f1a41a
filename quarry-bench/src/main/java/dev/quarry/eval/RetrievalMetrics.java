package dev.quarry.eval;

import java.util.List;
import java.util.Map;

/**
 * The BEIR metrics for one query, as pytrec_eval computes them: linear gains, log2 discount, ideal
 * ranking from the judgements.
 */
public final class RetrievalMetrics {
  private RetrievalMetrics() {}

  public static double ndcgAt(int k, List<String> ranked, Map<String, Integer> judged) {
    double dcg = 0;
    for (int i = 0; i < Math.min(k, ranked.size()); i++) {
      int grade = judged.getOrDefault(ranked.get(i), 0);
      if (grade > 0) {
        dcg += grade / log2(i + 2);
      }
    }
    List<Integer> ideal =
        judged.values().stream().filter(g -> g > 0).sorted((a, b) -> b - a).toList();
    double idcg = 0;
    for (int i = 0; i < Math.min(k, ideal.size()); i++) {
      idcg += ideal.get(i) / log2(i + 2);
    }
    return idcg == 0 ? 0 : dcg / idcg;
  }

  static double recallAt(int k, List<String> ranked, Map<String, Integer> judged) {
    long relevant = judged.values().stream().filter(g -> g > 0).count();
    if (relevant == 0) {
      return 0;
    }
    long found = ranked.stream().limit(k).filter(d -> judged.getOrDefault(d, 0) > 0).count();
    return (double) found / relevant;
  }

  static double reciprocalRankAt(int k, List<String> ranked, Map<String, Integer> judged) {
    for (int i = 0; i < Math.min(k, ranked.size()); i++) {
      if (judged.getOrDefault(ranked.get(i), 0) > 0) {
        return 1.0 / (i + 1);
      }
    }
    return 0;
  }

  private static double log2(int x) {
    return Math.log(x) / Math.log(2);
  }
}
