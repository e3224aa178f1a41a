package dev.quarry.embed;

import dev.quarry.chunk.Tokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * A static embedding model: a text's vector is the mean of its tokens' rows, L2-normalised. No
 * transformer runs, so embedding costs a tokenization and a few additions per token.
 *
 * <p>Texts are tokenized by {@link WordPieceTokenizer} (in Java, no native code), without special
 * tokens; tokens without a row ([UNK], special tokens) are dropped. A text with no known token (an
 * empty one included) gets the zero vector: it is close to nothing. Texts are never truncated
 * (averaging costs the same at any length); chunkers still size chunks by {@link
 * ModelIdentity#maxTokens()}.
 *
 * <p>Thread-safe: the rows are read-only and the tokenizer accepts concurrent calls.
 */
final class StaticEmbeddingModel implements EmbeddingModel {
  private final ModelIdentity identity;
  private final WordPieceTokenizer tokenizer;

  /** Row of each vocabulary id, or -1 for ids without one. */
  private final int[] rowOfId;

  /** The rows, row-major, widened from float16 once so embedding does no conversion. */
  private final float[] rows;

  private final int dims;

  StaticEmbeddingModel(
      ModelIdentity identity, StaticWeights weights, WordPieceTokenizer tokenizer) {
    if (identity.dimensions() != weights.dimensions()) {
      throw new IllegalArgumentException(
          identity.name()
              + " has "
              + identity.dimensions()
              + " dimensions, its weights "
              + weights.dimensions());
    }
    this.identity = identity;
    this.tokenizer = tokenizer;
    this.dims = weights.dimensions();
    int largest = weights.rows() == 0 ? 0 : weights.tokenId(weights.rows() - 1);
    this.rowOfId = new int[largest + 1];
    Arrays.fill(rowOfId, -1);
    for (int r = 0; r < weights.rows(); r++) {
      rowOfId[weights.tokenId(r)] = r;
    }
    this.rows = weights.widened();
  }

  @Override
  public ModelIdentity identity() {
    return identity;
  }

  @Override
  public Tokenizer tokenizer() {
    return tokenizer;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    float[][] out = new float[texts.size()][];
    for (int t = 0; t < out.length; t++) {
      out[t] = meanOfRows(tokenizer.ids(texts.get(t)));
    }
    return Arrays.asList(out);
  }

  private float[] meanOfRows(long[] ids) {
    float[] sum = new float[dims];
    int known = 0;
    for (long id : ids) {
      int row = id >= 0 && id < rowOfId.length ? rowOfId[(int) id] : -1;
      if (row < 0) {
        continue;
      }
      known++;
      int base = row * dims;
      for (int d = 0; d < dims; d++) {
        sum[d] += rows[base + d];
      }
    }
    if (known > 0) {
      // Dividing by the count changes no direction, but keeps the mean what the recipe says.
      for (int d = 0; d < dims; d++) {
        sum[d] /= known;
      }
      OnnxEmbeddingModel.normalise(sum);
    }
    return sum;
  }

  /** A static model averages rows: cheaper than any cache lookup (BENCHMARKS.md, minilm-static). */
  @Override
  public boolean cheaperThanACache() {
    return true;
  }

  @Override
  public void close() {
    // Nothing native: the rows and the tokenizer are plain Java objects.
  }
}
