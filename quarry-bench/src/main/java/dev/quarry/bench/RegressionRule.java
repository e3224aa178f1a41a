package dev.quarry.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * When a figure has regressed: its median is worse than the baseline's median by more than {@code
 * threshold} (a fraction: 0.10 is 10%) <em>and</em> a one-sided Mann–Whitney U test of the two sets
 * of samples rejects "same distribution" at level {@code alpha}. The threshold keeps differences
 * too small to matter from failing a build; the test keeps noise from doing so (a median 15% slower
 * on samples that overlap the baseline's is not a regression). The same rule, mirrored, reports
 * improvements.
 *
 * <p>With the exact test, n samples on each side cannot reach a p-value below 1/C(2n, n): 3 runs
 * reach 0.05, 5 runs 0.004. Fewer than 3 runs a side can never be flagged.
 *
 * @param threshold the relative change of the median that matters, in (0, 1)
 * @param alpha the test's significance level, in (0, 1)
 */
public record RegressionRule(double threshold, double alpha) {

  public RegressionRule {
    if (!(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException("threshold must be in (0, 1), got " + threshold);
    }
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
    }
  }

  /** 10% and 0.05: the rule of issue #3. */
  public static RegressionRule defaults() {
    return new RegressionRule(0.10, 0.05);
  }

  /** Judges {@code current} against the baseline's figure of the same name, if there is one. */
  public Verdict judge(Figure current, Optional<Figure> baseline) {
    if (baseline.isEmpty()) {
      return Verdict.noBaseline(current.name());
    }
    Figure base = baseline.get();
    if (base.better() != current.better()) {
      throw new IllegalArgumentException(
          "figure "
              + current.name()
              + " is '"
              + current.better().label()
              + " is better' now but was '"
              + base.better().label()
              + " is better' in the baseline");
    }
    double now = current.median();
    double before = base.median();
    double change =
        before == 0
            ? (now == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, now))
            : (now - before) / Math.abs(before);
    // Relative change in the "worse" direction: positive when the figure got worse.
    double worse = current.better() == Figure.Better.LOWER ? change : -change;
    double[] cur = current.values();
    double[] old = base.values();
    // p of "current tends to be worse" and of "current tends to be better".
    double pWorse =
        current.better() == Figure.Better.LOWER
            ? MannWhitneyU.greater(cur, old).pValue()
            : MannWhitneyU.greater(old, cur).pValue();
    double pBetter =
        current.better() == Figure.Better.LOWER
            ? MannWhitneyU.greater(old, cur).pValue()
            : MannWhitneyU.greater(cur, old).pValue();
    if (worse > threshold && pWorse <= alpha) {
      return new Verdict(current.name(), Verdict.Status.REGRESSION, before, change, pWorse);
    }
    if (-worse > threshold && pBetter <= alpha) {
      return new Verdict(current.name(), Verdict.Status.IMPROVEMENT, before, change, pBetter);
    }
    return new Verdict(
        current.name(), Verdict.Status.UNCHANGED, before, change, worse >= 0 ? pWorse : pBetter);
  }

  /**
   * Judges every figure of {@code current} against {@code baseline}. A baseline measured with a
   * different configuration (another corpus, tree size, query set) is not compared: every verdict
   * is {@link Verdict.Status#NO_BASELINE}.
   */
  public List<Verdict> judge(BenchRun current, Optional<BenchRun> baseline) {
    boolean comparable = baseline.isPresent() && comparable(current, baseline.get());
    Map<String, Figure> before = comparable ? baseline.get().figuresByName() : Map.of();
    List<Verdict> verdicts = new ArrayList<>();
    for (Figure f : current.figures()) {
      verdicts.add(judge(f, Optional.ofNullable(before.get(f.name()))));
    }
    return verdicts;
  }

  /** Whether two runs measured the same things: same suite and configuration. */
  public static boolean comparable(BenchRun a, BenchRun b) {
    return a.suite().equals(b.suite()) && a.config().equals(b.config());
  }
}
