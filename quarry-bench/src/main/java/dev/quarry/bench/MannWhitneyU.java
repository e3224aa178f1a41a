package dev.quarry.bench;

import java.util.Arrays;

/**
 * The one-sided Mann–Whitney U test (Wilcoxon rank-sum test): do the values of one sample tend to
 * be larger than those of another? Distribution-free, so it suits timings, whose noise is skewed (a
 * run is slowed by a neighbour far more often than it is sped up).
 *
 * <p>For up to {@value #EXACT_LIMIT} values in all, the p-value is exact: the permutation
 * distribution of the rank sum over every way to split the pooled values into the two groups,
 * counted by dynamic programming over (doubled) mid-ranks, so ties are handled exactly too (the
 * distribution is conditional on the tie pattern, as in a permutation test). Above that, the normal
 * approximation with tie and continuity corrections. Stateless; thread-safe.
 */
public final class MannWhitneyU {
  /** Largest pooled sample size for the exact distribution (DP cost grows as n³·m). */
  static final int EXACT_LIMIT = 100;

  private MannWhitneyU() {}

  /**
   * @param u the U statistic of the first sample: pairs (x, y) with x > y, plus half the ties
   * @param pValue the probability, if both samples came from one distribution, of a U at least this
   *     large
   * @param exact whether {@code pValue} is exact or the normal approximation
   */
  public record Result(double u, double pValue, boolean exact) {}

  /**
   * Tests H1 "values of {@code x} tend to be larger than values of {@code y}" against H0 "both come
   * from the same distribution".
   *
   * @throws IllegalArgumentException when a sample is empty or holds NaN
   */
  public static Result greater(double[] x, double[] y) {
    if (x.length == 0 || y.length == 0) {
      throw new IllegalArgumentException(
          "both samples need at least one value, got " + x.length + " and " + y.length);
    }
    int n = x.length;
    int m = y.length;
    int total = n + m;
    double[] pooled = new double[total];
    System.arraycopy(x, 0, pooled, 0, n);
    System.arraycopy(y, 0, pooled, n, m);
    for (double v : pooled) {
      if (Double.isNaN(v)) {
        throw new IllegalArgumentException("a sample holds NaN");
      }
    }
    // Doubled mid-ranks: integers even with ties (a tie of t values at ranks r..r+t-1 gets 2r+t-1).
    int[] order = sortedOrder(pooled);
    int[] doubledRank = new int[total];
    double tieTerm = 0; // sum of t^3 - t over tie groups, for the normal approximation
    for (int i = 0; i < total; ) {
      int j = i;
      while (j + 1 < total && pooled[order[j + 1]] == pooled[order[i]]) {
        j++;
      }
      int t = j - i + 1;
      for (int k = i; k <= j; k++) {
        doubledRank[order[k]] = (i + 1) + (j + 1); // 2 × the mean of ranks i+1..j+1
      }
      tieTerm += (double) t * t * t - t;
      i = j + 1;
    }
    long doubledRankSumX = 0;
    for (int i = 0; i < n; i++) {
      doubledRankSumX += doubledRank[i];
    }
    double u = doubledRankSumX / 2.0 - n * (n + 1) / 2.0;
    if (total <= EXACT_LIMIT) {
      return new Result(u, exactUpperTail(doubledRank, n, doubledRankSumX), true);
    }
    return new Result(u, normalUpperTail(u, n, m, tieTerm), false);
  }

  /**
   * P(doubled rank sum of a random n-subset ≥ observed), every n-subset of the pooled values
   * equally likely. ways[k][s] counts the k-subsets of the values seen so far with doubled rank sum
   * s; doubles, because the counts (up to C(100, 50) ≈ 1e29) overflow a long, and only their ratio
   * matters.
   */
  private static double exactUpperTail(int[] doubledRank, int n, long observed) {
    int maxSum = 0;
    for (int r : doubledRank) {
      maxSum += r;
    }
    double[][] ways = new double[n + 1][maxSum + 1];
    ways[0][0] = 1;
    int seen = 0;
    for (int r : doubledRank) {
      seen += r;
      for (int k = n; k >= 1; k--) {
        double[] to = ways[k];
        double[] from = ways[k - 1];
        for (int s = seen; s >= r; s--) {
          to[s] += from[s - r];
        }
      }
    }
    double all = 0;
    double atLeast = 0;
    for (int s = 0; s <= maxSum; s++) {
      all += ways[n][s];
      if (s >= observed) {
        atLeast += ways[n][s];
      }
    }
    return Math.min(1.0, atLeast / all);
  }

  /**
   * Normal approximation of P(U ≥ u) with the tie correction of the variance and a continuity
   * correction.
   */
  private static double normalUpperTail(double u, int n, int m, double tieTerm) {
    double total = n + m;
    double mean = n * (double) m / 2;
    double variance = n * (double) m / 12 * ((total + 1) - tieTerm / (total * (total - 1)));
    if (variance <= 0) {
      return u > mean ? 0 : 1; // every value tied
    }
    double z = (u - mean - 0.5) / Math.sqrt(variance);
    return upperNormalTail(z);
  }

  /** P(Z ≥ z) for a standard normal Z. */
  static double upperNormalTail(double z) {
    return 0.5 * erfc(z / Math.sqrt(2));
  }

  /**
   * The complementary error function, from the Chebyshev fit in Numerical Recipes (3rd ed., §6.2,
   * {@code Erf::erfccheb}): relative error below 1.2e-16 for x ≥ 0; erfc(-x) = 2 - erfc(x).
   */
  static double erfc(double x) {
    if (x < 0) {
      return 2 - erfc(-x);
    }
    double t = 2 / (2 + x);
    double ty = 4 * t - 2;
    double d = 0;
    double dd = 0;
    for (int j = ERFC_COEFFICIENTS.length - 1; j > 0; j--) {
      double tmp = d;
      d = ty * d - dd + ERFC_COEFFICIENTS[j];
      dd = tmp;
    }
    return t * Math.exp(-x * x + 0.5 * (ERFC_COEFFICIENTS[0] + ty * d) - dd);
  }

  private static final double[] ERFC_COEFFICIENTS = {
    -1.3026537197817094,
    6.4196979235649026e-1,
    1.9476473204185836e-2,
    -9.561514786808631e-3,
    -9.46595344482036e-4,
    3.66839497852761e-4,
    4.2523324806907e-5,
    -2.0278578112534e-5,
    -1.624290004647e-6,
    1.303655835580e-6,
    1.5626441722e-8,
    -8.5238095915e-8,
    6.529054439e-9,
    5.059343495e-9,
    -9.91364156e-10,
    -2.27365122e-10,
    9.6467911e-11,
    2.394038e-12,
    -6.886027e-12,
    8.94487e-13,
    3.13092e-13,
    -1.12708e-13,
    3.81e-16,
    7.106e-15,
    -1.523e-15,
    -9.4e-17,
    1.21e-16,
    -2.8e-17
  };

  private static int[] sortedOrder(double[] values) {
    Integer[] boxed = new Integer[values.length];
    for (int i = 0; i < boxed.length; i++) {
      boxed[i] = i;
    }
    Arrays.sort(boxed, (a, b) -> Double.compare(values[a], values[b]));
    int[] order = new int[boxed.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = boxed[i];
    }
    return order;
  }
}
