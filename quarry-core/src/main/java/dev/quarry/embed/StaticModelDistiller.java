package dev.quarry.embed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealVector;

/**
 * Distils a static model from a transformer (recipe 2: the Model2Vec recipe with two changes that
 * the evaluations kept): each vocabulary token goes through the teacher alone, as {@code [CLS]
 * token [SEP]}, and the teacher's output at the token's own position becomes its row; the rows are
 * reduced by PCA and weighted by Zipf rank; then they are fitted to the teacher's vectors of a
 * corpus of whole texts ({@link SentenceFit}, {@link DistillationCorpus}) and stored as float16.
 *
 * <p>Recipe 1 took the mean over the three positions (what the teacher's pooling does) and had no
 * fit. SciFact train, CoSQA dev and code search, semantic nDCG@10 (BENCHMARKS.md): the token's own
 * position +0.016 / +0.071 / +0.007, the fit +0.021 / +0.031 / +0.011 more.
 *
 * <p>Deterministic: the same teacher, vocabulary and corpus give the same bits. Each teacher call's
 * vectors depend only on its batch (fixed composition, single-threaded inference per call), never
 * on which worker ran it or when; every sum runs in a fixed order; eigenvector signs are fixed by a
 * rule; the fit is single-threaded with a fixed seed. Not thread-safe; one {@link #distill} at a
 * time.
 */
final class StaticModelDistiller {
  /** The recipe's version: part of the model's identity and of the weights file's name. */
  static final int RECIPE = 2;

  /** Output dimensions (Model2Vec's default PCA size). */
  static final int DIMENSIONS = 256;

  /** The smooth-inverse-frequency constant of the Zipf weighting ({@code w = a / (a + p)}). */
  static final double SIF = 1e-4;

  /**
   * Tokens per teacher call. Inputs are 3 tokens long, so a call is cheap; large batches amortise
   * the per-call overhead of ONNX Runtime. Part of the determinism: never vary it per machine.
   */
  static final int BATCH = 256;

  /** Most padded tokens (texts x longest) per teacher call on the corpus. */
  static final int CORPUS_BATCH_TOKENS = 2048;

  /** The teacher, on inputs already encoded ({@code [CLS] ... [SEP]}). Thread-safe. */
  interface Teacher {
    /** Each input's output vector at position 1: a token's own, for {@code [CLS] token [SEP]}. */
    float[][] tokenVectors(long[][] ids);

    /** Each input's text vector, as the teacher pools it, unnormalised. */
    float[][] textVectors(long[][] ids);
  }

  /** Told of progress on the thread that called {@link #distill}. */
  interface Progress {
    Progress NONE = (stage, done, total) -> {};

    /**
     * @param stage what is being done: "tokens", "texts" or "fit"
     */
    void onStep(String stage, int done, int total);
  }

  private final Teacher teacher;
  private final long cls;
  private final long sep;
  private final int threads;

  /**
   * @param teacher the transformer
   * @param cls the id of [CLS]
   * @param sep the id of [SEP]
   * @param threads workers calling the teacher at once
   */
  StaticModelDistiller(Teacher teacher, int cls, int sep, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.teacher = teacher;
    this.cls = cls;
    this.sep = sep;
    this.threads = threads;
  }

  /**
   * The ids of the tokens that get rows, ascending: the vocabulary minus BERT's {@code [unused*]}
   * placeholders (never trained) and its special tokens ({@code [PAD]}, {@code [UNK]}, {@code
   * [CLS]}, {@code [SEP]}, {@code [MASK]}: the static model drops them at inference anyway).
   */
  static int[] vocabularyRows(Map<String, Integer> vocabulary) {
    return vocabulary.entrySet().stream()
        .filter(e -> !(e.getKey().startsWith("[") && e.getKey().endsWith("]")))
        .mapToInt(Map.Entry::getValue)
        .sorted()
        .distinct()
        .toArray();
  }

  /**
   * Distils rows for {@code tokenIds} (ascending), fitted on {@code corpus}.
   *
   * @param teacherId the teacher's identity, recorded with the weights
   * @param corpus the fit's texts, encoded for the teacher ({@code [CLS] ... [SEP]}); empty for no
   *     fit
   */
  StaticWeights distill(String teacherId, int[] tokenIds, List<long[]> corpus, Progress progress) {
    if (tokenIds.length < 2) {
      throw new IllegalArgumentException("need at least 2 tokens, got " + tokenIds.length);
    }
    List<long[][]> batches = new ArrayList<>();
    for (int from = 0; from < tokenIds.length; from += BATCH) {
      long[][] ids = new long[Math.min(BATCH, tokenIds.length - from)][];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = new long[] {cls, tokenIds[from + i], sep};
      }
      batches.add(ids);
    }
    float[][] rows = run(batches, teacher::tokenVectors, "tokens", progress);
    Projection projection = pca(rows, Math.min(DIMENSIONS, rows[0].length));
    int dims = projection.axes().length;
    double[] weights = zipfWeights(tokenIds.length);
    // Projected row by row, each teacher row let go once projected (the CLI runs in a 256 MB heap).
    float[] fitted = new float[tokenIds.length * dims];
    double[] projected = new double[dims];
    for (int r = 0; r < tokenIds.length; r++) {
      projection.apply(rows[r], projected);
      rows[r] = null;
      for (int d = 0; d < dims; d++) {
        fitted[r * dims + d] = (float) (projected[d] * weights[r]);
      }
    }
    if (!corpus.isEmpty()) {
      fit(fitted, dims, tokenIds, corpus, projection, progress);
    }
    short[] halves = new short[fitted.length];
    for (int i = 0; i < fitted.length; i++) {
      halves[i] = Float.floatToFloat16(fitted[i]);
    }
    return new StaticWeights(teacherId, RECIPE, tokenIds.clone(), dims, halves);
  }

  /**
   * Fits {@code rows} to the teacher's vectors of the corpus's texts, each projected on the PCA's
   * axes (not centred: the teacher's cosine between two texts is what the projection should keep).
   * A text's tokens are the rows the static model would average for it: its ids less [CLS], [SEP]
   * and tokens without a row.
   */
  private void fit(
      float[] rows,
      int dims,
      int[] tokenIds,
      List<long[]> corpus,
      Projection projection,
      Progress progress) {
    Integer[] byLength = new Integer[corpus.size()];
    for (int i = 0; i < byLength.length; i++) {
      byLength[i] = i;
    }
    // Batches of texts of similar length pad little; the order is fixed by the corpus alone.
    Arrays.sort(
        byLength,
        Comparator.comparingInt((Integer i) -> corpus.get(i).length).thenComparingInt(i -> i));
    List<long[][]> batches = new ArrayList<>();
    List<long[]> batch = new ArrayList<>();
    for (int index : byLength) {
      long[] text = corpus.get(index);
      if (!batch.isEmpty() && (long) (batch.size() + 1) * text.length > CORPUS_BATCH_TOKENS) {
        batches.add(batch.toArray(long[][]::new));
        batch.clear();
      }
      batch.add(text);
    }
    if (!batch.isEmpty()) {
      batches.add(batch.toArray(long[][]::new));
    }
    float[][] vectors = run(batches, teacher::textVectors, "texts", progress);
    float[][] targets = new float[corpus.size()][];
    int[][] texts = new int[corpus.size()][];
    double[][] axes = projection.axes();
    for (int k = 0; k < byLength.length; k++) {
      int index = byLength[k];
      float[] target = new float[dims];
      for (int d = 0; d < dims; d++) {
        double dot = 0;
        for (int j = 0; j < axes[d].length; j++) {
          dot += vectors[k][j] * axes[d][j];
        }
        target[d] = (float) dot;
      }
      vectors[k] = null;
      targets[index] = target;
      texts[index] = rowsOf(corpus.get(index), tokenIds);
    }
    SentenceFit.fit(
        rows, dims, texts, targets, (done, total, loss) -> progress.onStep("fit", done, total));
  }

  /** The rows of a text's tokens (ids ascending in {@code tokenIds}); ids without one dropped. */
  private int[] rowsOf(long[] ids, int[] tokenIds) {
    int[] rows = new int[ids.length];
    int count = 0;
    for (long id : ids) {
      int row = Arrays.binarySearch(tokenIds, (int) id);
      if (row >= 0 && id != cls && id != sep) {
        rows[count++] = row;
      }
    }
    return Arrays.copyOf(rows, count);
  }

  /** {@code call} on every batch, two at a time at most ({@link #threads}), results in order. */
  private float[][] run(
      List<long[][]> batches,
      java.util.function.Function<long[][], float[][]> call,
      String stage,
      Progress progress) {
    int total = batches.stream().mapToInt(b -> b.length).sum();
    ExecutorService workers =
        Executors.newFixedThreadPool(
            threads, Thread.ofPlatform().name("quarry-distil-", 0).daemon().factory());
    try {
      List<Future<float[][]>> results = new ArrayList<>();
      for (long[][] ids : batches) {
        results.add(workers.submit(() -> call.apply(ids)));
      }
      float[][] rows = new float[total][];
      int done = 0;
      for (Future<float[][]> result : results) {
        float[][] vectors = result.get();
        System.arraycopy(vectors, 0, rows, done, vectors.length);
        done += vectors.length;
        progress.onStep(stage, done, total);
      }
      return rows;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddingException("interrupted while distilling a static model", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new EmbeddingException("the teacher failed: " + cause, cause);
    } finally {
      workers.shutdownNow();
    }
  }

  /**
   * Principal component analysis of {@code rows}: centred, projected on the {@code components}
   * eigenvectors of the covariance with the largest eigenvalues. The covariance is only (dims x
   * dims), so an eigen-decomposition of it is cheap and exact enough; no SVD of the whole matrix is
   * needed. An eigenvector's sign is arbitrary, so each is turned to make its largest component
   * positive: the same input always gives the same signs.
   */
  static Projection pca(float[][] rows, int components) {
    int n = rows.length;
    int dims = rows[0].length;
    double[] mean = new double[dims];
    for (float[] row : rows) {
      for (int d = 0; d < dims; d++) {
        mean[d] += row[d];
      }
    }
    for (int d = 0; d < dims; d++) {
      mean[d] /= n;
    }
    double[][] covariance = new double[dims][dims];
    double[] centred = new double[dims];
    for (float[] row : rows) {
      for (int d = 0; d < dims; d++) {
        centred[d] = row[d] - mean[d];
      }
      for (int i = 0; i < dims; i++) {
        double ci = centred[i];
        double[] line = covariance[i];
        for (int j = i; j < dims; j++) {
          line[j] += ci * centred[j];
        }
      }
    }
    for (int i = 0; i < dims; i++) {
      for (int j = i; j < dims; j++) {
        covariance[i][j] /= n - 1;
        covariance[j][i] = covariance[i][j];
      }
    }
    EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(covariance, false));
    double[] values = eigen.getRealEigenvalues();
    Integer[] order = new Integer[dims];
    for (int i = 0; i < dims; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        Comparator.comparingDouble((Integer i) -> -values[i]).thenComparingInt(Integer::intValue));
    double[][] axes = new double[components][];
    for (int k = 0; k < components; k++) {
      RealVector vector = eigen.getEigenvector(order[k]);
      double[] axis = vector.toArray();
      int largest = 0;
      for (int d = 1; d < dims; d++) {
        if (Math.abs(axis[d]) > Math.abs(axis[largest])) {
          largest = d;
        }
      }
      if (axis[largest] < 0) {
        for (int d = 0; d < dims; d++) {
          axis[d] = -axis[d];
        }
      }
      axes[k] = axis;
    }
    return new Projection(mean, axes);
  }

  /**
   * A fitted PCA: {@code mean} to subtract, {@code axes} (unit, by decreasing variance) to project
   * on.
   */
  record Projection(double[] mean, double[][] axes) {
    /** Writes {@code row}'s coordinates on the axes into {@code out}. */
    void apply(float[] row, double[] out) {
      for (int k = 0; k < axes.length; k++) {
        double[] axis = axes[k];
        double dot = 0;
        for (int d = 0; d < mean.length; d++) {
          dot += (row[d] - mean[d]) * axis[d];
        }
        out[k] = dot;
      }
    }
  }

  /**
   * The Zipf weight of each rank: {@code w = a / (a + p_r)}, {@code p_r ∝ 1 / (r + 2)} normalised
   * over the ranks. WordPiece vocabularies carry no frequencies, so, as Model2Vec does, the rank is
   * the row's position in id order (BERT's vocabulary is roughly frequency-ordered after its single
   * characters): frequent tokens weigh less, like stop words.
   */
  static double[] zipfWeights(int count) {
    double total = 0;
    for (int r = 0; r < count; r++) {
      total += 1.0 / (r + 2);
    }
    double[] weights = new double[count];
    for (int r = 0; r < count; r++) {
      double p = (1.0 / (r + 2)) / total;
      weights[r] = SIF / (SIF + p);
    }
    return weights;
  }
}
