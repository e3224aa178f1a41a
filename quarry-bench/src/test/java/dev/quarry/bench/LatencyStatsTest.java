package dev.quarry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyStatsTest {
  @Test
  void percentilesAreNearestRank() {
    long[] nanos = new long[100];
    for (int i = 0; i < 100; i++) {
      nanos[i] = (100 - i) * 1_000_000L; // 100 ms down to 1 ms, unsorted on purpose
    }
    LatencyStats s = LatencyStats.ofNanos(nanos);
    assertThat(s.count()).isEqualTo(100);
    assertThat(s.p50Ms()).isEqualTo(50.0);
    assertThat(s.p95Ms()).isEqualTo(95.0);
    assertThat(s.p99Ms()).isEqualTo(99.0);
    assertThat(s.maxMs()).isEqualTo(100.0);
    assertThat(s.meanMs()).isCloseTo(50.5, within(1e-9));
    assertThat(s.qps()).isCloseTo(1000 / 50.5, within(1e-9));
  }

  @Test
  void fewSamplesGiveObservedValues() {
    LatencyStats one = LatencyStats.ofNanos(new long[] {2_500_000});
    assertThat(one.p50Ms()).isEqualTo(2.5);
    assertThat(one.p99Ms()).isEqualTo(2.5);
    // 20 samples: p95 is the 19th smallest, p99 the 20th.
    long[] twenty = new long[20];
    for (int i = 0; i < 20; i++) {
      twenty[i] = (i + 1) * 1_000_000L;
    }
    LatencyStats s = LatencyStats.ofNanos(twenty);
    assertThat(s.p50Ms()).isEqualTo(10.0);
    assertThat(s.p95Ms()).isEqualTo(19.0);
    assertThat(s.p99Ms()).isEqualTo(20.0);
  }

  @Test
  void rankRoundingDoesNotSkipAValue() {
    long[] sorted = new long[100];
    for (int i = 0; i < 100; i++) {
      sorted[i] = i + 1;
    }
    assertThat(LatencyStats.percentile(sorted, 0.07))
        .isEqualTo(7); // 0.07 × 100 = 7.000000000000001
  }
}
