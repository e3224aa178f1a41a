package dev.quarry.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.quarry.chunk.TokenSpans;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnnxEmbeddingModelTest {
  /** The text whose vector components the models' tests pin. */
  static final String PINNED_TEXT = "Quarry keeps a search index of a large file tree in sync.";

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
        .hasMessageContaining("all-minilm-l6-v2-q")
        .hasMessageContaining("minilm-static")
        .hasMessageContaining("bge-small-en-v1.5-q");
  }

  /**
   * Components of one text's vector, computed before the pooling became the identity's choice and
   * queries could have a prefix: indexes and caches hold MiniLM vectors, and must keep matching new
   * ones. Here they were bit-identical before and after that change; the tolerance only allows
   * other CPUs' kernels to round differently, and any change of tokenizer, pooling, prefix or
   * truncation moves them far more.
   */
  @Test
  void vectorsAreThoseOfEarlierReleases() {
    float[] expected = {-0.04809661f, 0.054271817f, -0.022217702f, 0.022541452f, 0.07659271f};
    int[] at = {0, 1, 2, 100, 200};
    for (float[] v :
        List.of(model.embedQuery(PINNED_TEXT), model.embed(List.of(PINNED_TEXT)).get(0))) {
      for (int i = 0; i < at.length; i++) {
        assertThat(v[at[i]]).as("component %d", at[i]).isCloseTo(expected[i], within(5e-4f));
      }
      assertThat(v[383]).isCloseTo(-0.0070829215f, within(5e-4f));
    }
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
