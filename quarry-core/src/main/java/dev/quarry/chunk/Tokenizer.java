package dev.quarry.chunk;

/**
 * A model's tokenizer as the chunkers see it: chunk sizes are counted in the embedding model's own
 * tokens. Defined here, implemented by the embedding models. Thread-safe.
 */
public interface Tokenizer {

  /** The token boundaries of {@code text}, without special tokens and without truncation. */
  TokenSpans tokenize(String text);

  /** How many tokens {@code text} has, without special tokens. */
  default int countTokens(String text) {
    return tokenize(text).count();
  }
}
