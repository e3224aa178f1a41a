package dev.quarry.embed;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.quarry.chunk.Tokenizer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A sentence-transformers model run in-process by ONNX Runtime: BERT token vectors, pooled as the
 * identity says ({@link Pooling}: the mean over the tokens for MiniLM, the {@code [CLS]} vector for
 * BGE), L2 normalisation when the identity says normalised. Queries may get a prefix that documents
 * do not (BGE's retrieval instruction); MiniLM has none.
 *
 * <p>Thread-safe: ONNX Runtime sessions accept concurrent {@code run} calls.
 */
final class OnnxEmbeddingModel implements EmbeddingModel {
  /**
   * Texts per ONNX call, at most. On 2 cores batch size barely changes throughput (measured: 30–40
   * texts/s for 32 or 8); inputs are sorted by length first so a batch pads little. Memory does
   * change: ONNX Runtime's arena keeps the largest activations it has seen, and an indexing run
   * peaked at 700 MB RSS with batches of 16 and 420 MB with 8 (bench/embed-efficiency.sh, run
   * report). {@link #MAX_BATCH_TOKENS} bounds a batch of long texts further.
   */
  static final int DEFAULT_BATCH_SIZE = 8;

  /**
   * Most padded tokens (texts x longest text) per ONNX call; a batch over it is split into runs of
   * consecutive texts that fit. The activations ONNX Runtime's arena must hold grow with this
   * (attention alone is texts x 12 heads x tokens² floats), and the arena never gives memory back:
   * embedding 600 code chunks of ~256 tokens grew RSS by 80 MB with 8 x 256 per call, 44 MB with
   * 1,024 tokens, 26 MB with 512 and 15 MB one text at a time, for the same CPU time per text (45
   * ms). Only batches of short texts gain from batching (25-token texts: 5.1 ms each in eights, 6.7
   * ms one by one), and those fit: 512 takes 8 texts of up to 64 tokens. Indexing 1,500 SciFact
   * abstracts: native memory outside the heap 250 MB with 1,024, 225 MB with 512.
   *
   * <p>The int8 model's vectors depend slightly on which texts share a call (cosine 0.99 between
   * the same text embedded in different batches), so a split batch's vectors differ by that much
   * from what the unsplit batch gave; a batch that fits is embedded exactly as before.
   */
  static final int MAX_BATCH_TOKENS = 512;

  private final int batchSize;

  private final ModelIdentity identity;
  private final Pooling pooling;
  private final String queryPrefix;
  private final HuggingFaceTokenizerAdapter tokenizer;
  private final Tokenizer tokenCounter;
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final boolean wantsTokenTypeIds;

  /**
   * @param queryPrefix put before a query's text by {@link #embedQuery} (never before a
   *     document's); empty for none
   */
  OnnxEmbeddingModel(
      ModelIdentity identity,
      String queryPrefix,
      HuggingFaceTokenizerAdapter tokenizer,
      Tokenizer tokenCounter,
      byte[] onnxModel,
      int threads,
      int batchSize) {
    this(identity, queryPrefix, tokenizer, tokenCounter, (Object) onnxModel, threads, batchSize);
  }

  /**
   * As the other constructor, the model read from {@code onnxFile} by ONNX Runtime itself: a large
   * model (the 90 MB fp32 teacher) never passes through the Java heap.
   */
  OnnxEmbeddingModel(
      ModelIdentity identity,
      String queryPrefix,
      HuggingFaceTokenizerAdapter tokenizer,
      Tokenizer tokenCounter,
      java.nio.file.Path onnxFile,
      int threads,
      int batchSize) {
    this(identity, queryPrefix, tokenizer, tokenCounter, (Object) onnxFile, threads, batchSize);
  }

  private OnnxEmbeddingModel(
      ModelIdentity identity,
      String queryPrefix,
      HuggingFaceTokenizerAdapter tokenizer,
      Tokenizer tokenCounter,
      Object onnxModel,
      int threads,
      int batchSize) {
    this.identity = identity;
    this.pooling = Pooling.of(identity.pooling());
    this.queryPrefix = java.util.Objects.requireNonNull(queryPrefix, "queryPrefix");
    this.batchSize = batchSize;
    this.tokenizer = tokenizer;
    this.tokenCounter = tokenCounter;
    this.environment = environment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      // Memory patterns are planned per input shape, and every batch has its own (texts x tokens):
      // off, the peak RSS of indexing 800 SciFact abstracts fell from 451-452 MB to 395-415 MB at
      // the same speed. (Turning the CPU arena off as well raised it to 695 MB: glibc's malloc.)
      options.setMemoryPatternOptimization(false);
      this.session =
          onnxModel instanceof byte[] bytes
              ? environment.createSession(bytes, options)
              : environment.createSession(onnxModel.toString(), options);
      this.wantsTokenTypeIds = session.getInputNames().contains("token_type_ids");
    } catch (OrtException e) {
      throw new EmbeddingException(
          "cannot load ONNX model " + identity.name() + ": " + e.getMessage(), e);
    }
  }

  /** Stack for creating ONNX Runtime's environment; see {@link #environment()}. */
  private static final long ENVIRONMENT_STACK_BYTES = 256L << 20;

  /**
   * ONNX Runtime's process-wide environment, created on a thread with a large stack. Creating it
   * parses the process's command line ({@code /proc/self/cmdline}) recursively, about two frames
   * per character: a Java command line with a long class path (a test runner's, an application
   * server's) overflowed a default 1 MB thread stack and killed the JVM with SIGSEGV, no error
   * report. Once created it is shared, so only the first call pays for the extra thread.
   */
  static OrtEnvironment environment() {
    java.util.concurrent.atomic.AtomicReference<Object> result =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread creator =
        new Thread(
            null,
            () -> {
              try {
                result.set(OrtEnvironment.getEnvironment());
              } catch (RuntimeException | Error e) {
                result.set(e);
              }
            },
            "quarry-onnx-init",
            ENVIRONMENT_STACK_BYTES);
    creator.start();
    try {
      creator.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddingException("interrupted while loading ONNX Runtime", e);
    }
    Object created = result.get();
    if (created instanceof OrtEnvironment environment) {
      return environment;
    }
    if (created instanceof RuntimeException e) {
      throw e;
    }
    throw (Error) created;
  }

  @Override
  public ModelIdentity identity() {
    return identity;
  }

  /** The fast counter for chunking; inputs to the model are still encoded by the library. */
  @Override
  public Tokenizer tokenizer() {
    return tokenCounter;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    float[][] out = new float[texts.size()][];
    Integer[] order = new Integer[texts.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> texts.get(i).length()));
    for (int from = 0; from < order.length; from += batchSize) {
      int to = Math.min(order.length, from + batchSize);
      List<String> batch = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        batch.add(texts.get(order[i]));
      }
      float[][] vectors = embedBatch(batch);
      for (int i = from; i < to; i++) {
        out[order[i]] = vectors[i - from];
      }
    }
    return Arrays.asList(out);
  }

  /** {@code texts} encoded for this model ({@code [CLS] ... [SEP]}), within its window. */
  long[][] encode(List<String> texts) {
    return tokenizer.encodeForModel(texts, identity.maxTokens());
  }

  /** The query's vector: its text after the model's query prefix (none for most models). */
  @Override
  public float[] embedQuery(String query) {
    return embed(List.of(queryPrefix.isEmpty() ? query : queryPrefix + query)).get(0);
  }

  private float[][] embedBatch(List<String> batch) {
    long[][] ids = tokenizer.encodeForModel(batch, identity.maxTokens());
    float[][] vectors = pooledWithinBudget(ids);
    if (identity.normalized()) {
      for (float[] vector : vectors) {
        normalise(vector);
      }
    }
    return vectors;
  }

  /**
   * Splits an encoded batch whose padded size (texts x longest) is over {@link #MAX_BATCH_TOKENS}
   * into runs of consecutive texts that fit, and embeds each run on its own; a batch that fits is
   * embedded whole, as before.
   */
  private float[][] pooledWithinBudget(long[][] ids) {
    float[][] out = new float[ids.length][];
    int from = 0;
    while (from < ids.length) {
      int to = from + 1;
      int width = ids[from].length;
      while (to < ids.length
          && (long) (to - from + 1) * Math.max(width, ids[to].length) <= MAX_BATCH_TOKENS) {
        width = Math.max(width, ids[to].length);
        to++;
      }
      float[][] part = pooled(Arrays.copyOfRange(ids, from, to));
      System.arraycopy(part, 0, out, from, part.length);
      from = to;
    }
    return out;
  }

  /**
   * The model's pooled token vectors ({@link ModelIdentity#pooling()}) for inputs already encoded
   * (special tokens included), not normalised: with mean pooling, what {@link StaticModelDistiller}
   * takes from its teacher.
   */
  float[][] pooled(long[][] ids) {
    return infer(
        ids,
        (hidden, width) ->
            switch (pooling) {
              case MEAN -> meanPool(hidden, ids, width);
              case CLS -> outputsAt(hidden, ids.length, width, 0);
            });
  }

  /**
   * The model's output vector at {@code position} of each input (encoded, special tokens included),
   * not normalised: what {@link StaticModelDistiller} takes from its teacher for a token alone
   * between {@code [CLS]} and {@code [SEP]} (position 1).
   */
  float[][] outputsAt(long[][] ids, int position) {
    for (long[] row : ids) {
      if (position >= row.length) {
        throw new IllegalArgumentException(
            "position " + position + " is past an input of " + row.length + " tokens");
      }
    }
    return infer(ids, (hidden, width) -> outputsAt(hidden, ids.length, width, position));
  }

  /** What to make of the model's last hidden state for a batch padded to {@code width}. */
  private interface Readout {
    float[][] read(FloatBuffer hidden, int width);
  }

  private float[][] infer(long[][] ids, Readout readout) {
    int rows = ids.length;
    int width = 0;
    for (long[] row : ids) {
      width = Math.max(width, row.length);
    }
    long[] inputIds = new long[rows * width];
    long[] attention = new long[rows * width];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(ids[r], 0, inputIds, r * width, ids[r].length);
      Arrays.fill(attention, r * width, r * width + ids[r].length, 1L);
    }
    long[] shape = {rows, width};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put(
          "input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(inputIds), shape));
      inputs.put(
          "attention_mask",
          OnnxTensor.createTensor(environment, LongBuffer.wrap(attention), shape));
      if (wantsTokenTypeIds) {
        inputs.put(
            "token_type_ids",
            OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[rows * width]), shape));
      }
      try (OrtSession.Result result = session.run(inputs)) {
        return readout.read(((OnnxTensor) result.get(0)).getFloatBuffer(), width);
      }
    } catch (OrtException e) {
      throw new EmbeddingException("ONNX inference failed: " + e.getMessage(), e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  private float[][] meanPool(FloatBuffer hidden, long[][] ids, int width) {
    int dims = identity.dimensions();
    float[][] vectors = new float[ids.length][];
    for (int r = 0; r < ids.length; r++) {
      float[] sum = new float[dims];
      int tokens = ids[r].length;
      for (int t = 0; t < tokens; t++) {
        int base = (r * width + t) * dims;
        for (int d = 0; d < dims; d++) {
          sum[d] += hidden.get(base + d);
        }
      }
      for (int d = 0; d < dims; d++) {
        sum[d] /= tokens;
      }
      vectors[r] = sum;
    }
    return vectors;
  }

  /**
   * Each row's token vector at {@code position}; at 0, {@code [CLS]}'s (the padding after it is
   * masked out).
   */
  private float[][] outputsAt(FloatBuffer hidden, int rows, int width, int position) {
    int dims = identity.dimensions();
    float[][] vectors = new float[rows][dims];
    for (int r = 0; r < rows; r++) {
      hidden.get((r * width + position) * dims, vectors[r]);
    }
    return vectors;
  }

  /** Scales {@code vector} to unit length in place (a zero vector stays zero). */
  static void normalise(float[] vector) {
    double norm = 0;
    for (float v : vector) {
      norm += (double) v * v;
    }
    float scale = norm > 0 ? (float) (1.0 / Math.sqrt(norm)) : 0f;
    for (int d = 0; d < vector.length; d++) {
      vector[d] *= scale;
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new EmbeddingException("cannot close ONNX session: " + e.getMessage(), e);
    } finally {
      tokenizer.close();
    }
  }
}
