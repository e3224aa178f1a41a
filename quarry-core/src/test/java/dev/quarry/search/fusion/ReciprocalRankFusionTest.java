package dev.quarry.search.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReciprocalRankFusionTest {
  private final ReciprocalRankFusion rrf = new ReciprocalRankFusion(60);

  @Test
  void itemsInBothListsRiseAboveItemsInOne() {
    var fused =
        rrf.fuse(
            List.of(
                new ReciprocalRankFusion.RankedList<>(List.of("a", "b", "c"), 1.0),
                new ReciprocalRankFusion.RankedList<>(List.of("c", "d"), 1.0)));
    assertThat(fused)
        .extracting(ReciprocalRankFusion.Fused::item)
        .containsExactly("c", "a", "b", "d"); // b and d tie at rank 2: first seen wins
    assertThat(fused.get(0).score()).isCloseTo(1.0 / 63 + 1.0 / 61, within(1e-12));
  }

  @Test
  void weightsShiftTheBalanceAndTiesKeepFirstSeenOrder() {
    var fused =
        rrf.fuse(
            List.of(
                new ReciprocalRankFusion.RankedList<>(List.of("x"), 1.0),
                new ReciprocalRankFusion.RankedList<>(List.of("y"), 1.0)));
    assertThat(fused).extracting(ReciprocalRankFusion.Fused::item).containsExactly("x", "y");
    var weighted =
        rrf.fuse(
            List.of(
                new ReciprocalRankFusion.RankedList<>(List.of("x"), 1.0),
                new ReciprocalRankFusion.RankedList<>(List.of("y"), 2.0)));
    assertThat(weighted).extracting(ReciprocalRankFusion.Fused::item).containsExactly("y", "x");
  }
}
