package dev.quarry.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** minilm-static: the distillation, its file, and inference as the recipe says. */
class StaticEmbeddingModelTest {
  @TempDir Path dir;

  @Test
  void distillingTwiceFromTheSameTeacherGivesTheSameBytes() throws IOException {
    StaticWeights first = StaticModelFixture.weights();
    StaticWeights second =
        StaticModelStore.build(
            1,
            StaticModelFixture.subset(),
            StaticModelFixture.corpus(),
            StaticModelDistiller.Progress.NONE);
    Path a = dir.resolve("a.bin");
    Path b = dir.resolve("b.bin");
    first.writeAtomically(a);
    second.writeAtomically(b);
    assertThat(Files.mismatch(a, b)).isEqualTo(-1L);
    assertThat(first.dimensions()).isEqualTo(StaticModelDistiller.DIMENSIONS);
    assertThat(first.rows()).isEqualTo(StaticModelFixture.subset().length);
    assertThat(first.teacher()).isEqualTo(StaticModelStore.teacherId());
  }

  @Test
  void theWholeVocabularyIsEveryTokenButUnusedAndSpecialOnes() {
    Map<String, Integer> vocabulary = StaticModelStore.vocabulary();
    int[] rows = StaticModelDistiller.vocabularyRows(vocabulary);
    assertThat(vocabulary).hasSize(30522);
    // 994 [unused*] placeholders and [PAD], [UNK], [CLS], [SEP], [MASK] are left out.
    assertThat(rows).hasSize(30522 - 994 - 5);
    assertThat(rows).doesNotContain(0, 100, 101, 102, 103, 1);
    assertThat(rows).contains(vocabulary.get("["), vocabulary.get("the"));
  }

  @Test
  void aTextsVectorIsTheNormalisedMeanOfItsTokenRows() {
    StaticWeights weights = StaticModelFixture.weights();
    Map<String, Integer> vocabulary = StaticModelStore.vocabulary();
    try (EmbeddingModel model = StaticModelFixture.model()) {
      float[] vector = model.embed(List.of("Protein cell the protein")).get(0);
      float[] expected = new float[weights.dimensions()];
      for (String word : List.of("protein", "cell", "the", "protein")) {
        float[] row = weights.row(rowOf(weights, vocabulary.get(word)));
        for (int d = 0; d < expected.length; d++) {
          expected[d] += row[d] / 4;
        }
      }
      OnnxEmbeddingModel.normalise(expected);
      assertThat(vector).hasSize(256);
      for (int d = 0; d < expected.length; d++) {
        assertThat(vector[d]).isCloseTo(expected[d], within(1e-6f));
      }
      assertThat(norm(vector)).isCloseTo(1.0, within(1e-5));
    }
  }

  @Test
  void unknownTokensAndTokensWithoutARowAreDropped() {
    try (EmbeddingModel model = StaticModelFixture.model()) {
      // U+1F980 (a crab) is not in BERT's vocabulary: [UNK].
      List<float[]> vectors =
          model.embed(List.of("protein \uD83E\uDD80", "protein", "[UNK] protein"));
      assertThat(vectors.get(0)).containsExactly(vectors.get(1));
      assertThat(vectors.get(2)).containsExactly(vectors.get(1));
    }
  }

  @Test
  void anEmptyTextOrOneOfUnknownTokensGetsTheZeroVector() {
    try (EmbeddingModel model = StaticModelFixture.model()) {
      List<float[]> vectors = model.embed(List.of("", "   \n", "\uD83E\uDD80"));
      for (float[] vector : vectors) {
        assertThat(vector).hasSize(256).containsOnly(0f);
      }
      assertThat(model.embed(List.of())).isEmpty();
    }
  }

  @Test
  void itsIdentityDiffersFromTheDefaultModelsAndNamesTeacherAndRecipe() {
    ModelIdentity identity = EmbeddingModels.identityOf("minilm-static");
    assertThat(EmbeddingModels.available()).contains("minilm-static");
    assertThat(identity.id())
        .isNotEqualTo(EmbeddingModels.identityOf(EmbeddingModels.DEFAULT).id());
    assertThat(identity.version()).isEqualTo("1.19.0-beta29+r2");
    assertThat(identity.dimensions()).isEqualTo(256);
    try (EmbeddingModel model = StaticModelFixture.model()) {
      assertThat(model.identity()).isEqualTo(identity);
    }
  }

  @Test
  void keptWeightsAreReusedWithoutBuilding() throws IOException {
    StaticWeights weights = StaticModelFixture.weights();
    Path file = StaticModelStore.weightsFile(dir);
    assertThat(file.getFileName().toString())
        .isEqualTo("minilm-static-r2-all-minilm-l6-v2-1.19.0-beta29.bin");
    weights.writeAtomically(file);
    StaticWeights kept =
        StaticModelStore.weights(
            dir,
            1,
            (stage, done, total) -> {
              throw new AssertionError("built again although kept");
            },
            warning -> {
              throw new AssertionError(warning);
            });
    assertThat(kept).isEqualTo(weights);
    try (var listing = Files.list(file.getParent())) {
      assertThat(listing).containsExactly(file); // no temporary file left behind
    }
  }

  @Test
  void aDamagedWeightsFileFailsToReadNamingIt() throws IOException {
    Path file = dir.resolve("w.bin");
    StaticModelFixture.weights().writeAtomically(file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);
    assertThatThrownBy(() -> StaticWeights.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("damaged");
    Files.write(file, java.util.Arrays.copyOf(bytes, 100));
    assertThatThrownBy(() -> StaticWeights.read(file)).hasMessageContaining("truncated");
  }

  @Test
  void zipfWeightsGrowWithRankAsTheRecipeSays() {
    double[] weights = StaticModelDistiller.zipfWeights(1000);
    double total = 0;
    for (int r = 0; r < 1000; r++) {
      total += 1.0 / (r + 2);
    }
    double p0 = 0.5 / total;
    assertThat(weights[0]).isCloseTo(1e-4 / (1e-4 + p0), within(1e-12));
    for (int r = 1; r < weights.length; r++) {
      assertThat(weights[r]).isGreaterThan(weights[r - 1]);
    }
  }

  private static int rowOf(StaticWeights weights, int tokenId) {
    for (int r = 0; r < weights.rows(); r++) {
      if (weights.tokenId(r) == tokenId) {
        return r;
      }
    }
    throw new AssertionError("no row for token " + tokenId);
  }

  private static double norm(float[] vector) {
    double sum = 0;
    for (float v : vector) {
      sum += (double) v * v;
    }
    return Math.sqrt(sum);
  }
}
