package dev.quarry.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.chunk.TokenSpans;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnnxEmbeddingModelTest {
  private static EmbeddingModel model;

  @BeforeAll
  static void load() {
    model = EmbeddingModels.load(EmbeddingModels.DEFAULT, 2);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void identityDescribesTheShippedModel() {
    ModelIdentity id = model.identity();
    assertThat(id.name()).isEqualTo("all-minilm-l6-v2-q");
    assertThat(id.version()).isEqualTo("1.20.0-beta30");
    assertThat(id.dimensions()).isEqualTo(384);
    assertThat(id.maxTokens()).isEqualTo(256);
  }

  @Test
  void vectorsAreUnitLengthAndParaphrasesAreCloserThanUnrelatedText() {
    List<float[]> v =
        model.embed(
            List.of(
                "How do I open a file and read its lines?",
                "Reading all the lines of a text file",
                "The recipe needs two eggs and a cup of flour"));
    assertThat(v).hasSize(3).allSatisfy(x -> assertThat(x).hasSize(384));
    assertThat(dot(v.get(0), v.get(0))).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(dot(v.get(0), v.get(1))).isGreaterThan(dot(v.get(0), v.get(2)) + 0.2);
  }

  @Test
  void inputOrderDoesNotChangeWhichVectorBelongsToWhichText() {
    List<String> texts =
        List.of("short", "a much longer sentence about databases and indexes", "mid text");
    List<float[]> forward = model.embed(texts);
    List<float[]> single = texts.stream().map(model::embedQuery).toList();
    for (int i = 0; i < texts.size(); i++) {
      // int8 kernels quantize activations per call, so padding in a batch moves vectors slightly
      // (cosine 0.97-1.0 measured); each vector must still be its own text's.
      assertThat(dot(forward.get(i), single.get(i))).isGreaterThan(0.95);
      for (int j = 0; j < texts.size(); j++) {
        if (j != i) {
          assertThat(dot(forward.get(i), single.get(i)))
              .isGreaterThan(dot(forward.get(i), single.get(j)));
        }
      }
    }
  }

  @Test
  void tokenizerCountsRealTokensWithoutTheArtifactsTruncation() {
    String longText = "word ".repeat(400);
    assertThat(model.tokenizer().countTokens(longText)).isEqualTo(400);
    TokenSpans spans = model.tokenizer().tokenize("Hello, world");
    assertThat(spans.count()).isEqualTo(3);
    assertThat("Hello, world".substring(spans.start(2), spans.end(2))).isEqualTo("world");
  }

  @Test
  void overlongInputIsTruncatedNotRejected() {
    float[] v = model.embedQuery("token ".repeat(2000));
    assertThat(v).hasSize(384);
  }

  @Test
  void unknownModelNamesTheAvailableOnes() {
    assertThatThrownBy(() -> EmbeddingModels.load("nope", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope")
        .hasMessageContaining("all-minilm-l6-v2-q");
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
