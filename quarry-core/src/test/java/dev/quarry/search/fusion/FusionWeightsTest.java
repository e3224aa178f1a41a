package dev.quarry.search.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FusionWeightsTest {
  @Test
  void aModelWithoutFittedSharesGetsEqualOnes() {
    assertThat(FusionWeights.fittedFor("some-remote-model")).isEqualTo(FusionWeights.EQUAL);
  }

  @Test
  void theShippedModelsHaveFittedSharesInRange() {
    for (String model :
        new String[] {"all-minilm-l6-v2-q", "minilm-static", "bge-small-en-v1.5-q"}) {
      FusionWeights fitted = FusionWeights.fittedFor(model);
      assertThat(fitted).as(model).isNotEqualTo(FusionWeights.EQUAL);
      assertThat(FusionWeights.fittedFor(model.toUpperCase(java.util.Locale.ROOT)))
          .isEqualTo(fitted);
    }
  }

  @Test
  void eachShapeHasItsShare() {
    FusionWeights w = new FusionWeights(0.9, 0.5, 0.8, 0.3);
    assertThat(w.lexicalShare(QueryShape.SYMBOL)).isEqualTo(0.9);
    assertThat(w.lexicalShare(QueryShape.PROSE)).isEqualTo(0.5);
    assertThat(w.lexicalShare(QueryShape.PROSE_AMID_CODE)).isEqualTo(0.8);
    assertThat(w.lexicalShare(QueryShape.PROSE_OVER_CODE)).isEqualTo(0.3);
  }

  @Test
  void sharesOutsideZeroToOneAreRefusedNamingTheShape() {
    assertThatThrownBy(() -> new FusionWeights(1.2, 0.5, 0.5, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("symbol")
        .hasMessageContaining("1.2");
    assertThatThrownBy(() -> new FusionWeights(0.5, Double.NaN, 0.5, 0.5))
        .hasMessageContaining("prose");
    assertThatThrownBy(() -> new FusionWeights(0.5, 0.5, -0.1, 0.5))
        .hasMessageContaining("prose-amid-code");
  }
}
