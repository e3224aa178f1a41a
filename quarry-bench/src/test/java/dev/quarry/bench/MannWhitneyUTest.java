package dev.quarry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Known values: without ties, {@code scipy.stats.mannwhitneyu(x, y, alternative='greater',
 * method='exact')} (scipy 1.17); with ties, the permutation distribution counted by brute force
 * over every split of the pooled values (itertools.combinations), which is what the exact test here
 * computes; above the exact limit, scipy's {@code method='asymptotic'} with continuity correction.
 */
class MannWhitneyUTest {

  @Test
  void completeSeparationOfFiveAgainstFiveIsOneIn252() {
    var r =
        MannWhitneyU.greater(
            new double[] {1.2, 1.3, 1.4, 1.5, 1.6}, new double[] {1.0, 1.05, 1.1, 1.15, 1.19});
    assertThat(r.u()).isEqualTo(25.0);
    assertThat(r.pValue()).isCloseTo(0.003968253968253968, within(1e-15));
    assertThat(r.exact()).isTrue();
  }

  @Test
  void exactValuesWithoutTiesMatchScipy() {
    var r =
        MannWhitneyU.greater(
            new double[] {5.1, 4.9, 6.2, 5.8, 6.0}, new double[] {4.8, 5.0, 5.2, 4.7, 5.3});
    assertThat(r.u()).isEqualTo(20.0);
    assertThat(r.pValue()).isCloseTo(0.07539682539682539, within(1e-15));

    var three = MannWhitneyU.greater(new double[] {1.1, 1.2, 1.3}, new double[] {1.0, 1.05, 1.09});
    assertThat(three.u()).isEqualTo(9.0);
    assertThat(three.pValue()).isCloseTo(0.05, within(1e-15));
  }

  @Test
  void theOppositeDirectionGivesTheOtherTail() {
    double[] slow = {1.2, 1.3, 1.4, 1.5, 1.6};
    double[] fast = {1.0, 1.05, 1.1, 1.15, 1.19};
    var r = MannWhitneyU.greater(fast, slow);
    assertThat(r.u()).isZero();
    assertThat(r.pValue()).isCloseTo(1.0, within(1e-15));
  }

  @Test
  void tiesUseThePermutationDistributionOfMidRanks() {
    // Brute force over all C(10, 5) = 252 splits with mid-ranks.
    var r = MannWhitneyU.greater(new double[] {2, 2, 3, 3, 4}, new double[] {1, 2, 2, 3, 1});
    assertThat(r.u()).isEqualTo(20.0);
    assertThat(r.pValue()).isCloseTo(0.09523809523809523, within(1e-14));

    var mixed = MannWhitneyU.greater(new double[] {5, 5, 6, 7}, new double[] {5, 4, 4, 6});
    assertThat(mixed.u()).isEqualTo(12.5);
    assertThat(mixed.pValue()).isCloseTo(0.15714285714285714, within(1e-14));

    var unequal =
        MannWhitneyU.greater(new double[] {3, 4, 2, 6, 2, 5}, new double[] {9, 7, 5, 10, 6, 8});
    assertThat(unequal.u()).isEqualTo(2.0);
    assertThat(unequal.pValue()).isCloseTo(0.9989177489177489, within(1e-14));

    var sevenSix =
        MannWhitneyU.greater(
            new double[] {10.0, 12.5, 11.0, 13.1, 9.9, 12.0, 11.7},
            new double[] {10.2, 9.5, 10.8, 9.9, 10.1, 11.0});
    assertThat(sevenSix.u()).isEqualTo(33.0);
    assertThat(sevenSix.pValue()).isCloseTo(0.04603729603729604, within(1e-14));
  }

  @Test
  void allValuesTiedIsNoEvidence() {
    var r = MannWhitneyU.greater(new double[] {1, 1, 1}, new double[] {1, 1, 1});
    assertThat(r.u()).isEqualTo(4.5);
    assertThat(r.pValue()).isEqualTo(1.0);
  }

  @Test
  void largeSamplesUseTheNormalApproximationLikeScipy() {
    double[] x = {
      10.24, 11.01, 10.27, 10.18, 9.57, 10.29, 11.61, 10.92, 11.54, 10.75, 10.89, 10.69, 8.83,
      11.36, 11.01, 11.0, 8.81, 8.76, 9.61, 10.03, 10.81, 10.45, 11.02, 9.86, 10.81, 10.89, 9.84,
      12.22, 11.06, 11.7, 9.88, 9.76, 10.16, 10.39, 11.13, 10.75, 10.05, 9.54, 9.98, 11.72, 9.69,
      10.74, 10.93, 9.01, 10.55, 11.81, 8.49, 10.18, 10.39, 9.68, 11.0, 10.44, 9.04, 11.33, 11.17,
      11.45, 11.94, 10.86, 10.62, 9.2
    };
    double[] y = {
      10.62, 9.39, 9.55, 8.74, 9.03, 9.47, 11.29, 7.97, 8.54, 10.24, 11.44, 10.58, 8.1, 7.48, 10.36,
      9.26, 8.88, 10.98, 11.1, 10.16, 10.25, 10.43, 11.59, 10.62, 10.52, 10.55, 8.43, 11.28, 10.96,
      10.53, 8.03, 9.37, 10.84, 8.19, 9.82, 11.02, 8.69, 11.61, 10.55, 9.85, 10.32, 10.65, 10.12,
      11.15, 9.34, 9.59, 11.04, 10.03, 9.12, 10.95, 11.47, 9.56, 8.62, 9.87, 9.85
    };
    var r = MannWhitneyU.greater(x, y);
    assertThat(r.exact()).isFalse();
    assertThat(r.u()).isEqualTo(2080.5);
    assertThat(r.pValue()).isCloseTo(0.008028056501311215, within(1e-9));
  }

  @Test
  void erfcMatchesTheStandardLibrary() {
    // Python's math.erfc.
    assertThat(MannWhitneyU.erfc(0.5)).isCloseTo(0.4795001221869535, within(1e-15));
    assertThat(MannWhitneyU.erfc(2.0)).isCloseTo(0.004677734981047265, within(1e-17));
    assertThat(MannWhitneyU.erfc(-1.0)).isCloseTo(1.842700792949715, within(1e-15));
    assertThat(MannWhitneyU.erfc(5.0) / 1.5374597944280351e-12).isCloseTo(1.0, within(1e-13));
  }

  @Test
  void emptyOrNaNSamplesAreRejected() {
    assertThatThrownBy(() -> MannWhitneyU.greater(new double[0], new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one value");
    assertThatThrownBy(() -> MannWhitneyU.greater(new double[] {Double.NaN}, new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN");
  }
}
