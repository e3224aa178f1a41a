package dev.quarry.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OrdinalCheckTest {
  @Test
  void ordinalsZeroToNMinusOneEachOnceAreFine() {
    assertThat(OrdinalCheck.faults(new int[] {2, 0, 1}, 3)).isEmpty();
    assertThat(OrdinalCheck.faults(new int[0], 0)).isEmpty();
  }

  @Test
  void namesMissingRepeatedAndOutOfRangeOrdinals() {
    assertThat(OrdinalCheck.faults(new int[] {0, 2}, 3)).isEqualTo("ordinal 1 missing");
    assertThat(OrdinalCheck.faults(new int[] {0, 0, 1}, 3))
        .isEqualTo("ordinal 2 missing; ordinal 0 repeated");
    assertThat(OrdinalCheck.faults(new int[] {0, 1, 3, -1}, 2))
        .isEqualTo("ordinals -1, 3 out of range");
    assertThat(OrdinalCheck.faults(new int[0], 2)).isEqualTo("ordinals 0, 1 missing");
  }

  @Test
  void namesAFewAndCountsTheRest() {
    // A broken manifest may claim any count: the answer must not cost memory in proportion to it.
    assertThat(OrdinalCheck.faults(new int[] {5}, 1_000_000_000))
        .isEqualTo("ordinals 0, 1, 2 and 999999996 more missing");
  }
}
