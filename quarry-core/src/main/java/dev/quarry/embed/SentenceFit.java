package dev.quarry.embed;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Fits a static model's token rows to a teacher's sentence vectors (the idea of Model2Vec's
 * "tokenlearn"): for each corpus text, the mean of its tokens' rows should point where the
 * teacher's vector of the whole text points. Rows distilled one token at a time know nothing of how
 * tokens combine; the fit teaches them, for the tokens the corpus has, and leaves the others where
 * they were.
 *
 * <p>Loss: the mean over texts of {@code 1 - cos(mean of rows, target)}, plus {@code lambda/2 *
 * ||rows - start||²} to stay near the distilled rows. Adam, minibatches of {@link #BATCH} texts in
 * an order shuffled by a fixed seed, {@link #EPOCHS} epochs. Single-threaded and in a fixed order,
 * so the same inputs give the same bits on any machine.
 */
final class SentenceFit {
  static final int EPOCHS = 40;
  static final int BATCH = 1024;
  static final double LEARNING_RATE = 5e-3;
  static final double LAMBDA = 1e-5;
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;

  /** Told after each epoch, with the epoch's mean loss. */
  interface Progress {
    void onEpoch(int done, int total, double loss);
  }

  private SentenceFit() {}

  /**
   * Fits {@code rows} (row-major, {@code dims} per row) in place.
   *
   * @param texts each text's tokens as row indices (repeats count; texts without tokens are
   *     skipped)
   * @param targets each text's target vector, {@code dims} long (normalised here)
   */
  static void fit(float[] rows, int dims, int[][] texts, float[][] targets, Progress progress) {
    float[] start = rows.clone();
    float[] m1 = new float[rows.length];
    float[] m2 = new float[rows.length];
    float[] gradient = new float[rows.length];
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      if (texts[i].length > 0) {
        order.add(i);
      }
    }
    float[][] unitTargets = new float[targets.length][];
    for (int i = 0; i < targets.length; i++) {
      unitTargets[i] = unit(targets[i]);
    }
    Random random = new Random(0);
    double[] sum = new double[dims];
    int step = 0;
    for (int epoch = 0; epoch < EPOCHS; epoch++) {
      Collections.shuffle(order, random);
      double loss = 0;
      for (int from = 0; from < order.size(); from += BATCH) {
        List<Integer> batch = order.subList(from, Math.min(order.size(), from + BATCH));
        for (int r = 0; r < rows.length; r++) {
          gradient[r] = (float) (LAMBDA * (rows[r] - start[r]));
        }
        for (int text : batch) {
          loss +=
              accumulate(rows, dims, texts[text], unitTargets[text], batch.size(), sum, gradient);
        }
        step++;
        adam(rows, gradient, m1, m2, step);
      }
      progress.onEpoch(epoch + 1, EPOCHS, loss / order.size());
    }
  }

  /** Adds one text's loss gradient (scaled by 1/batch) to {@code gradient}; returns its loss. */
  private static double accumulate(
      float[] rows,
      int dims,
      int[] tokens,
      float[] target,
      int batch,
      double[] sum,
      float[] gradient) {
    java.util.Arrays.fill(sum, 0);
    for (int token : tokens) {
      int base = token * dims;
      for (int d = 0; d < dims; d++) {
        sum[d] += rows[base + d];
      }
    }
    double norm = 0;
    for (int d = 0; d < dims; d++) {
      sum[d] /= tokens.length; // the text's vector before normalising: the mean of its rows
      norm += sum[d] * sum[d];
    }
    norm = Math.sqrt(norm) + 1e-9;
    double cos = 0;
    for (int d = 0; d < dims; d++) {
      cos += sum[d] / norm * target[d];
    }
    // d(1 - cos)/d(mean) = -(target - cos * unit(mean)) / |mean|; each token had 1/n of the mean.
    double scale = 1.0 / (norm * batch * tokens.length);
    for (int d = 0; d < dims; d++) {
      sum[d] = -(target[d] - cos * sum[d] / norm) * scale;
    }
    for (int token : tokens) {
      int base = token * dims;
      for (int d = 0; d < dims; d++) {
        gradient[base + d] += (float) sum[d];
      }
    }
    return 1 - cos;
  }

  private static void adam(float[] rows, float[] gradient, float[] m1, float[] m2, int step) {
    double correction1 = 1 - Math.pow(BETA1, step);
    double correction2 = 1 - Math.pow(BETA2, step);
    for (int r = 0; r < rows.length; r++) {
      float g = gradient[r];
      m1[r] = (float) (BETA1 * m1[r] + (1 - BETA1) * g);
      m2[r] = (float) (BETA2 * m2[r] + (1 - BETA2) * g * g);
      rows[r] -=
          (float)
              (LEARNING_RATE * (m1[r] / correction1) / (Math.sqrt(m2[r] / correction2) + EPSILON));
    }
  }

  private static float[] unit(float[] vector) {
    double norm = 0;
    for (float v : vector) {
      norm += (double) v * v;
    }
    norm = Math.sqrt(norm);
    float[] out = new float[vector.length];
    for (int d = 0; d < vector.length; d++) {
      out[d] = norm > 0 ? (float) (vector[d] / norm) : 0;
    }
    return out;
  }
}
