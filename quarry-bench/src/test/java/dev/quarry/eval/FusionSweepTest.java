package dev.quarry.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.search.Ranking;
import dev.quarry.search.fusion.FusionWeights;
import dev.quarry.search.fusion.QueryShape;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class FusionSweepTest {
  /** A query whose score peaks when the lexical share is {@code best} (for every method). */
  private static void addPeakingAt(FusionSweep sweep, String group, String query, double best)
      throws IOException {
    sweep.add(
        group,
        QueryShape.of(query, QueryShape.Matches.TEXT),
        Ranking.defaults(),
        r -> 1 - Math.abs(r.fusionWeights().orElseThrow().prose() - best));
  }

  @Test
  void eachShapeGetsTheShareItsQueriesScoreBestWith() throws IOException {
    FusionSweep sweep = new FusionSweep();
    addPeakingAt(sweep, "a", "Router", 0.9);
    addPeakingAt(sweep, "b", "basic_format_args", 0.9);
    addPeakingAt(sweep, "a", "how the router matches a path", 0.3);
    addPeakingAt(sweep, "b", "where errors are wrapped", 0.3);
    for (Ranking.Fusion method : Ranking.Fusion.values()) {
      FusionWeights fitted = sweep.fit(method, t -> true);
      assertThat(fitted.symbol()).isEqualTo(0.9, org.assertj.core.api.Assertions.within(1e-9));
      assertThat(fitted.prose()).isEqualTo(0.3, org.assertj.core.api.Assertions.within(1e-9));
      assertThat(sweep.mean(method, fitted, t -> true)).isEqualTo(1.0);
    }
    assertThat(sweep.report()).contains("4 queries (2 symbol, 2 prose)").contains("symbol 0.9");
  }

  @Test
  void crossValidationScoresEachFoldWithTheOtherFoldsFit() throws IOException {
    FusionSweep sweep = new FusionSweep();
    // Group a's prose queries want 0.2, group b's 0.8: fitted on the other fold, each is 0.6 off.
    addPeakingAt(sweep, "a", "how a is done", 0.2);
    addPeakingAt(sweep, "b", "how b is done", 0.8);
    assertThat(sweep.crossValidated(Ranking.Fusion.RANKS))
        .isEqualTo(0.4, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(
            sweep.mean(Ranking.Fusion.RANKS, sweep.fit(Ranking.Fusion.RANKS, t -> true), t -> true))
        .isGreaterThan(0.6);
  }

  @Test
  void aTieFavoursTheShareNearestAHalf() throws IOException {
    FusionSweep sweep = new FusionSweep();
    sweep.add("a", QueryShape.PROSE, Ranking.defaults(), r -> 0.5);
    assertThat(sweep.fit(Ranking.Fusion.SCORES, t -> true).prose()).isEqualTo(0.5);
  }
}
