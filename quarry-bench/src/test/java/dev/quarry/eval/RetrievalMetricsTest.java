package dev.quarry.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetrievalMetricsTest {
  private final Map<String, Integer> judged = Map.of("d1", 1, "d2", 1);

  @Test
  void ndcgIsOneForAPerfectRankingAndDiscountsLaterHits() {
    assertThat(RetrievalMetrics.ndcgAt(10, List.of("d1", "d2", "x"), judged)).isEqualTo(1.0);
    // Hits at ranks 2 and 3: (1/log2(3) + 1/log2(4)) / (1 + 1/log2(3)).
    double expected = (1 / log2(3) + 1 / log2(4)) / (1 + 1 / log2(3));
    assertThat(RetrievalMetrics.ndcgAt(10, List.of("x", "d1", "d2"), judged))
        .isCloseTo(expected, within(1e-12));
    assertThat(RetrievalMetrics.ndcgAt(1, List.of("x", "d1"), judged)).isZero();
  }

  @Test
  void recallAndReciprocalRank() {
    assertThat(RetrievalMetrics.recallAt(100, List.of("x", "d2"), judged)).isEqualTo(0.5);
    assertThat(RetrievalMetrics.reciprocalRankAt(10, List.of("x", "y", "d2"), judged))
        .isEqualTo(1.0 / 3);
    assertThat(RetrievalMetrics.reciprocalRankAt(2, List.of("x", "y", "d2"), judged)).isZero();
  }

  @Test
  void documentIdsSurviveTheFileNameRoundTrip() {
    for (String id : List.of("12345", "a/b c", "ü-ß", "x+y%z")) {
      assertThat(BeirEvaluation.documentId("docs/" + BeirEvaluation.fileName(id))).isEqualTo(id);
    }
  }

  private static double log2(int x) {
    return Math.log(x) / Math.log(2);
  }
}
