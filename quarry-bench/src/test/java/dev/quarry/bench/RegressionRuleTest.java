package dev.quarry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RegressionRuleTest {
  private static final long SEED = 20261123L;
  private final RegressionRule rule = RegressionRule.defaults();

  private static Figure latency(double... ms) {
    return new Figure("query.lexical.p50_ms", "ms", Figure.Better.LOWER, box(ms));
  }

  private static Figure throughput(double... mbs) {
    return new Figure("index.first_lexical.mb_per_s", "MB/s", Figure.Better.HIGHER, box(mbs));
  }

  private static List<Double> box(double[] values) {
    List<Double> list = new ArrayList<>();
    for (double v : values) {
      list.add(v);
    }
    return list;
  }

  @Test
  void aClearlySlowerSampleSetIsARegression() {
    Verdict v =
        rule.judge(
            latency(1.30, 1.28, 1.35, 1.31, 1.29),
            Optional.of(latency(1.00, 1.02, 0.99, 1.01, 1.03)));
    assertThat(v.status()).isEqualTo(Verdict.Status.REGRESSION);
    assertThat(v.baselineMedian()).isEqualTo(1.01);
    assertThat(v.change()).isCloseTo(0.29 / 1.01, within(1e-12));
    assertThat(v.pValue()).isCloseTo(1 / 252.0, within(1e-12));
  }

  @Test
  void lowerThroughputIsARegressionAndHigherAnImprovement() {
    Figure base = throughput(10.0, 10.2, 9.9, 10.1, 10.05);
    assertThat(rule.judge(throughput(8.0, 8.1, 7.9, 8.2, 8.05), Optional.of(base)).status())
        .isEqualTo(Verdict.Status.REGRESSION);
    assertThat(rule.judge(throughput(12.0, 12.1, 11.9, 12.2, 12.05), Optional.of(base)).status())
        .isEqualTo(Verdict.Status.IMPROVEMENT);
  }

  @Test
  void aSmallButCertainSlowdownIsBelowTheThreshold() {
    // 5% slower, every sample: the test rejects, but 5% is within the 10% that matters.
    Verdict v =
        rule.judge(
            latency(1.05, 1.06, 1.05, 1.07, 1.06),
            Optional.of(latency(1.00, 1.01, 1.00, 1.02, 1.01)));
    assertThat(v.pValue()).isLessThan(0.05);
    assertThat(v.status()).isEqualTo(Verdict.Status.UNCHANGED);
  }

  @Test
  void aLargeMedianShiftInsideTheNoiseIsNotARegression() {
    // Median 20% slower, but the samples overlap the baseline's spread: the test does not reject.
    Verdict v =
        rule.judge(
            latency(0.9, 1.2, 1.25, 2.0, 1.0), Optional.of(latency(1.0, 1.05, 0.8, 1.9, 1.6)));
    assertThat(v.change()).isGreaterThan(0.10);
    assertThat(v.pValue()).isGreaterThan(0.05);
    assertThat(v.status()).isEqualTo(Verdict.Status.UNCHANGED);
  }

  /**
   * How many of {@code trials} comparisons of two 5-sample sets from one distribution are flagged.
   */
  private int falseRegressions(Random random, int trials, double noise) {
    int flagged = 0;
    for (int trial = 0; trial < trials; trial++) {
      double[] a = new double[5];
      double[] b = new double[5];
      for (int i = 0; i < 5; i++) {
        // Skewed like timings: a floor plus exponential noise of the given mean.
        a[i] = 1 - noise * Math.log(1 - random.nextDouble());
        b[i] = 1 - noise * Math.log(1 - random.nextDouble());
      }
      if (rule.judge(latency(a), Optional.of(latency(b))).status() == Verdict.Status.REGRESSION) {
        flagged++;
      }
    }
    return flagged;
  }

  @Test
  void equalNoiseOfAQuietMachineIsNeverFlagged() {
    // Noise of 3% mean: medians rarely differ by 10%, and the threshold keeps the test's 5% quiet.
    assertThat(falseRegressions(new Random(SEED), 500, 0.03)).as("seed %d", SEED).isZero();
  }

  @Test
  void equalNoiseOfANoisyMachineIsFlaggedNoMoreOftenThanAlpha() {
    // Noise of 30% mean: medians often differ by more than 10%, so the test alone decides, and an
    // exact test at 0.05 with 5 + 5 samples rejects with probability P(U >= 20) = 0.0476. Over
    // 500 trials that is 24 expected (sd 4.8); 40 is more than 3 sd above.
    int flagged = falseRegressions(new Random(SEED), 500, 0.30);
    assertThat(flagged).as("false regressions in 500 trials (seed %d)", SEED).isBetween(1, 40);
  }

  @Test
  void withoutABaselineThereIsNoVerdict() {
    Verdict v = rule.judge(latency(1.0, 1.1, 1.2), Optional.empty());
    assertThat(v.status()).isEqualTo(Verdict.Status.NO_BASELINE);
    assertThat(v.change()).isNaN();
  }

  @Test
  void runsOfAnotherConfigurationAreNotCompared() {
    BenchRun base =
        new BenchRun(
            "quick",
            Instant.EPOCH,
            Map.of("tree", "tree-30"),
            Map.of(),
            List.of(latency(1.0, 1.0, 1.0)),
            BenchDetails.none());
    BenchRun slowSameConfig =
        new BenchRun(
            "quick",
            Instant.EPOCH,
            Map.of("tree", "tree-30"),
            Map.of(),
            List.of(latency(3.0, 3.1, 3.2)),
            BenchDetails.none());
    BenchRun slowOtherTree =
        new BenchRun(
            "quick",
            Instant.EPOCH,
            Map.of("tree", "tree-3000"),
            Map.of(),
            List.of(latency(3.0, 3.1, 3.2)),
            BenchDetails.none());
    assertThat(rule.judge(slowSameConfig, Optional.of(base)))
        .extracting(Verdict::status)
        .containsExactly(Verdict.Status.REGRESSION);
    assertThat(rule.judge(slowOtherTree, Optional.of(base)))
        .extracting(Verdict::status)
        .containsExactly(Verdict.Status.NO_BASELINE);
  }
}
