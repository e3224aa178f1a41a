package dev.quarry.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fit of token rows to sentence vectors, on synthetic data with a known answer: texts are bags
 * of tokens, their targets the means of hidden "true" rows, and the fit starts from rows that are
 * the true ones plus noise.
 */
class SentenceFitTest {
  private static final int TOKENS = 200;
  private static final int DIMS = 16;

  @Test
  void theFitBringsTextVectorsTowardsTheirTargetsAndLeavesUnusedRowsAlone() {
    Random random = new Random(7);
    float[] truth = gaussian(random, TOKENS * DIMS, 1);
    float[] rows = truth.clone();
    float[] noise = gaussian(random, TOKENS * DIMS, 1.5);
    for (int i = 0; i < rows.length; i++) {
      rows[i] += noise[i];
    }
    // Tokens 0..149 appear in texts; 150..199 never do.
    int[][] texts = texts(random, 10_000, 150);
    float[][] targets = new float[texts.length][];
    for (int t = 0; t < texts.length; t++) {
      targets[t] = mean(truth, texts[t]);
    }
    int[][] heldOut = texts(random, 300, 150);
    float[] before = rows.clone();
    double lossBefore = meanLoss(rows, heldOut, truth);

    List<Double> losses = new ArrayList<>();
    SentenceFit.fit(rows, DIMS, texts, targets, (done, total, loss) -> losses.add(loss));

    assertThat(losses).hasSize(SentenceFit.EPOCHS);
    assertThat(losses.getLast()).isLessThan(losses.getFirst() / 2);
    // Texts the fit never saw, over the same tokens, moved towards the teacher too.
    assertThat(meanLoss(rows, heldOut, truth)).isLessThan(lossBefore / 2);
    for (int i = 150 * DIMS; i < TOKENS * DIMS; i++) {
      assertThat(rows[i]).isEqualTo(before[i]);
    }
  }

  @Test
  void theSameInputsGiveTheSameBits() {
    Random random = new Random(11);
    float[] start = gaussian(random, TOKENS * DIMS, 1);
    int[][] texts = texts(random, 1500, TOKENS);
    float[][] targets = new float[texts.length][];
    for (int t = 0; t < texts.length; t++) {
      targets[t] = gaussian(random, DIMS, 1);
    }
    float[] first = start.clone();
    float[] second = start.clone();
    SentenceFit.fit(first, DIMS, texts, targets, (done, total, loss) -> {});
    SentenceFit.fit(second, DIMS, texts, targets, (done, total, loss) -> {});
    assertThat(second).isEqualTo(first);
    assertThat(first).isNotEqualTo(start);
  }

  @Test
  void textsWithoutTokensAreSkipped() {
    float[] rows = gaussian(new Random(3), 4 * DIMS, 1);
    float[] start = rows.clone();
    SentenceFit.fit(
        rows,
        DIMS,
        new int[][] {{}, {}},
        new float[][] {new float[DIMS], new float[DIMS]},
        (done, total, loss) -> assertThat(Double.isNaN(loss) || loss == 0).isTrue());
    assertThat(rows).isEqualTo(start);
  }

  private static int[][] texts(Random random, int count, int vocabulary) {
    int[][] texts = new int[count][];
    for (int t = 0; t < count; t++) {
      texts[t] = new int[3 + random.nextInt(10)];
      for (int i = 0; i < texts[t].length; i++) {
        texts[t][i] = random.nextInt(vocabulary);
      }
    }
    return texts;
  }

  private static float[] mean(float[] rows, int[] tokens) {
    float[] sum = new float[DIMS];
    for (int token : tokens) {
      for (int d = 0; d < DIMS; d++) {
        sum[d] += rows[token * DIMS + d] / tokens.length;
      }
    }
    return sum;
  }

  private static double meanLoss(float[] rows, int[][] texts, float[] truth) {
    double loss = 0;
    for (int[] text : texts) {
      float[] a = mean(rows, text);
      float[] b = mean(truth, text);
      double dot = 0, na = 0, nb = 0;
      for (int d = 0; d < DIMS; d++) {
        dot += a[d] * b[d];
        na += a[d] * a[d];
        nb += b[d] * b[d];
      }
      loss += 1 - dot / Math.sqrt(na * nb);
    }
    return loss / texts.length;
  }

  private static float[] gaussian(Random random, int size, double scale) {
    float[] out = new float[size];
    for (int i = 0; i < size; i++) {
      out[i] = (float) (random.nextGaussian() * scale);
    }
    return out;
  }
}
