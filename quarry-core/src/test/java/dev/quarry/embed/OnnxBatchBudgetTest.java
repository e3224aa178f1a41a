package dev.quarry.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The token budget per ONNX call ({@link OnnxEmbeddingModel#MAX_BATCH_TOKENS}): a batch that fits
 * gives exactly the vectors it gave before the budget existed (one call for the whole batch); a
 * batch over it gives exactly the vectors of its runs embedded on their own, close to the unsplit
 * batch's. Real model, real tokenizer.
 */
class OnnxBatchBudgetTest {
  /** Words that are one token each in MiniLM's vocabulary (checked by {@link #ids}). */
  private static final String[] WORDS = {
    "the", "river", "stone", "green", "house", "water", "light", "night", "music", "table",
    "window", "garden", "winter", "summer", "city", "road", "paper", "market", "school", "horse"
  };

  private static OnnxEmbeddingModel model;
  private static HuggingFaceTokenizerAdapter tokenizer;

  @BeforeAll
  static void load() throws IOException {
    model =
        (OnnxEmbeddingModel)
            EmbeddingModels.load(EmbeddingModels.DEFAULT, 2, OnnxEmbeddingModel.DEFAULT_BATCH_SIZE);
    try (InputStream json = EmbeddingModels.resource("all-minilm-l6-v2-q-tokenizer.json", "")) {
      tokenizer = new HuggingFaceTokenizerAdapter(json);
    }
  }

  @AfterAll
  static void close() {
    model.close();
    tokenizer.close();
  }

  @Test
  void aBatchWithinTheBudgetIsEmbeddedInOneCallAsBefore() {
    // Eight texts of 20..27 words: 8 x 29 padded tokens, well within 512.
    List<String> texts = texts(8, 20);
    long[][] ids = ids(texts);
    assertThat((long) ids.length * ids[ids.length - 1].length)
        .isLessThanOrEqualTo(OnnxEmbeddingModel.MAX_BATCH_TOKENS);

    List<float[]> embedded = model.embed(texts);

    float[][] whole = normalised(model.pooled(ids));
    for (int i = 0; i < texts.size(); i++) {
      assertThat(embedded.get(i)).as("text %d", i).containsExactly(whole[i]);
    }
  }

  @Test
  void aBatchOverTheBudgetIsEmbeddedInRunsThatFit() {
    // Eight texts of 200..207 words (202..209 tokens with [CLS] and [SEP]): two fit in 512, three
    // do not, so the batch of eight is embedded as four pairs.
    List<String> texts = texts(8, 200);
    long[][] ids = ids(texts);
    assertThat(2L * ids[7].length).isLessThanOrEqualTo(OnnxEmbeddingModel.MAX_BATCH_TOKENS);
    assertThat(3L * ids[0].length).isGreaterThan(OnnxEmbeddingModel.MAX_BATCH_TOKENS);

    List<float[]> embedded = model.embed(texts);

    float[][] whole = normalised(model.pooled(ids));
    for (int pair = 0; pair < 4; pair++) {
      float[][] alone = normalised(model.pooled(Arrays.copyOfRange(ids, 2 * pair, 2 * pair + 2)));
      for (int k = 0; k < 2; k++) {
        int i = 2 * pair + k;
        assertThat(embedded.get(i)).as("text %d", i).containsExactly(alone[k]);
        // The int8 model quantizes activations per call: the same text in another batch moves a
        // little (cosine ~0.99), never to another text's place.
        assertThat(OnnxEmbeddingModelTest.dot(embedded.get(i), whole[i])).isGreaterThan(0.98);
      }
    }
  }

  @Test
  void textsAtTheModelsWindowGoTwoToACallAndTheOddOneAlone() {
    // Truncated to 256 tokens each: two fill the budget of 512. A different first word each, so no
    // two rows of a call are the same.
    List<String> texts = new ArrayList<>();
    for (String text : texts(3, 300)) {
      texts.add(WORDS[texts.size() + 1] + " " + text);
    }
    long[][] ids = ids(texts);
    assertThat(2L * model.identity().maxTokens()).isEqualTo(OnnxEmbeddingModel.MAX_BATCH_TOKENS);

    List<float[]> embedded = model.embed(texts);

    float[][] pair = normalised(model.pooled(Arrays.copyOfRange(ids, 0, 2)));
    float[] alone = normalised(model.pooled(new long[][] {ids[2]}))[0];
    assertThat(embedded.get(0)).containsExactly(pair[0]);
    assertThat(embedded.get(1)).containsExactly(pair[1]);
    assertThat(embedded.get(2)).containsExactly(alone);
  }

  /**
   * {@code count} texts of {@code firstLength}, {@code firstLength + 1}, ... words: distinct
   * lengths, each the one before with a word more, so the model's length sort keeps their order.
   */
  private static List<String> texts(int count, int firstLength) {
    List<String> texts = new ArrayList<>();
    for (int t = 0; t < count; t++) {
      StringBuilder text = new StringBuilder();
      for (int w = 0; w < firstLength + t; w++) {
        text.append(w == 0 ? "" : " ").append(WORDS[(w * 7) % WORDS.length]);
      }
      texts.add(text.toString());
    }
    return texts;
  }

  /** The model's input ids for {@code texts}, each word checked to be one token. */
  private static long[][] ids(List<String> texts) {
    long[][] ids = tokenizer.encodeForModel(texts, model.identity().maxTokens());
    for (int i = 0; i < texts.size(); i++) {
      int words = texts.get(i).split(" ").length;
      assertThat(ids[i]).hasSize(Math.min(words + 2, model.identity().maxTokens()));
    }
    return ids;
  }

  private static float[][] normalised(float[][] vectors) {
    for (float[] vector : vectors) {
      OnnxEmbeddingModel.normalise(vector);
    }
    return vectors;
  }
}
