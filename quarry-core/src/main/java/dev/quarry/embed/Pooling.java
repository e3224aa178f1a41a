package dev.quarry.embed;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a transformer's token vectors become one text vector: the {@link ModelIdentity#pooling()} of
 * the models run by {@link OnnxEmbeddingModel}.
 */
enum Pooling {
  /** The mean over the text's tokens, special tokens included (sentence-transformers' MiniLM). */
  MEAN("mean"),
  /** The first token's vector, {@code [CLS]} (the BGE models). */
  CLS("cls");

  private final String label;

  Pooling(String label) {
    this.label = label;
  }

  /** The name a {@link ModelIdentity} records. */
  String label() {
    return label;
  }

  /**
   * The pooling an identity names.
   *
   * @throws IllegalArgumentException naming the known kinds when {@code label} is none of them
   */
  static Pooling of(String label) {
    for (Pooling p : values()) {
      if (p.label.equals(label.toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown pooling '"
            + label
            + "'; known: "
            + Arrays.stream(values()).map(Pooling::label).toList());
  }
}
