package dev.quarry.search.fusion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScoreFusionTest {
  record Scored(String id, double score) {}

  private static List<String> fuse(List<Scored> lexical, List<Scored> semantic, double share) {
    return ScoreFusion.fuse(lexical, semantic, Scored::id, Scored::score, share).stream()
        .map(ScoreFusion.Fused::item)
        .toList();
  }

  private static final List<Scored> LEXICAL =
      List.of(new Scored("a", 12), new Scored("b", 11.5), new Scored("c", 2));
  private static final List<Scored> SEMANTIC =
      List.of(new Scored("c", 0.81), new Scored("b", 0.80), new Scored("d", 0.60));

  @Test
  void aShareOfOneIsTheLexicalOrderAndZeroTheSemantic() {
    // What the other list alone returned counts 0 in this one.
    assertThat(fuse(LEXICAL, SEMANTIC, 1).subList(0, 2)).containsExactly("a", "b");
    assertThat(fuse(LEXICAL, SEMANTIC, 0).subList(0, 2)).containsExactly("c", "b");
  }

  @Test
  void aShareOfOneKeepsTheLexicalScoresRatios() {
    // The reranking after fusion weighs hits by their ratio to the best: fusion must not change
    // it, or a share of 1 would rank unlike lexical search.
    var fused = ScoreFusion.fuse(LEXICAL, SEMANTIC, Scored::id, Scored::score, 1);
    assertThat(fused.stream().map(ScoreFusion.Fused::score).toList().subList(0, 3))
        .containsExactly(1.0, 11.5 / 12, 2.0 / 12);
  }

  @Test
  void semanticScoresAreSpreadFromTheirLeastLexicalOnesKeepTheirZero() {
    // Cosines bunched in a band: the least counts 0, the best 1. BM25 scores: divided by the best.
    List<Scored> cosines = List.of(new Scored("x", 0.62), new Scored("y", 0.60));
    var semantic = ScoreFusion.fuse(List.of(), cosines, Scored::id, Scored::score, 0);
    assertThat(semantic.stream().map(ScoreFusion.Fused::score).toList()).containsExactly(1.0, 0.0);
    List<Scored> bm25 = List.of(new Scored("x", 10), new Scored("y", 8));
    var lexical = ScoreFusion.fuse(bm25, List.of(), Scored::id, Scored::score, 1);
    assertThat(lexical.stream().map(ScoreFusion.Fused::score).toList()).containsExactly(1.0, 0.8);
  }

  @Test
  void scoresAreNormalisedPerListSoTheirScalesDoNotMatter() {
    // b is near the top of both lists: with equal shares it wins, though its raw cosine is tiny
    // next to its BM25 score.
    assertThat(fuse(LEXICAL, SEMANTIC, 0.5).get(0)).isEqualTo("b");
  }

  @Test
  void theDistanceBetweenHitsCountsNotJustTheirRanks() {
    // a is far above the rest lexically and a close third semantically; b is second lexically (far
    // behind a) and first semantically by a hair. Rank fusion with equal weights picks b (1/62 +
    // 1/61 beats 1/61 + 1/63); score fusion sees that b's lead is a hair and a's is a mile.
    List<Scored> lexical = List.of(new Scored("a", 30), new Scored("b", 3), new Scored("c", 2.9));
    List<Scored> semantic =
        List.of(
            new Scored("b", 0.700),
            new Scored("c", 0.699),
            new Scored("a", 0.698),
            new Scored("z", 0.600));
    assertThat(fuse(lexical, semantic, 0.5).get(0)).isEqualTo("a");
    var ranks =
        new ReciprocalRankFusion(60)
            .fuse(
                List.of(
                    new ReciprocalRankFusion.RankedList<>(List.of("a", "b", "c"), 1),
                    new ReciprocalRankFusion.RankedList<>(List.of("b", "c", "a", "z"), 1)));
    assertThat(ranks.get(0).item()).isEqualTo("b");
  }

  @Test
  void anEmptyLegLeavesTheOtherInItsOrder() {
    assertThat(fuse(LEXICAL, List.of(), 0.2)).containsExactly("a", "b", "c");
    assertThat(fuse(List.of(), SEMANTIC, 0.9)).containsExactly("c", "b", "d");
  }

  @Test
  void equalScoresKeepTheOrderFirstSeen() {
    List<Scored> flat = List.of(new Scored("p", 1), new Scored("q", 1));
    assertThat(fuse(flat, List.of(), 1)).containsExactly("p", "q");
  }
}
