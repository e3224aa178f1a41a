package dev.quarry.chunk;

/**
 * Size rules for chunks, in model tokens.
 *
 * @param maxTokens most tokens of one chunk's embedding input, special tokens excluded
 * @param overlapTokens up to this many tokens of whole lines are repeated at the start of the next
 *     chunk, so a statement cut at a boundary is whole in one of the two
 * @param maxContextTokens the context line (heading path) is cut to this many tokens
 */
public record ChunkingPolicy(int maxTokens, int overlapTokens, int maxContextTokens) {

  public ChunkingPolicy {
    if (maxTokens < 16) {
      throw new IllegalArgumentException("maxTokens must be at least 16, got " + maxTokens);
    }
    if (overlapTokens < 0 || overlapTokens > maxTokens / 2) {
      throw new IllegalArgumentException(
          "overlapTokens must be in [0, maxTokens/2], got "
              + overlapTokens
              + " for maxTokens "
              + maxTokens);
    }
    if (maxContextTokens < 0 || maxContextTokens > maxTokens / 4) {
      throw new IllegalArgumentException(
          "maxContextTokens must be in [0, maxTokens/4], got " + maxContextTokens);
    }
  }

  /**
   * For a model whose window is {@code modelMaxTokens} including [CLS] and [SEP]: fill the window,
   * overlap by about an eighth (enough for a few lines of code or a sentence).
   */
  public static ChunkingPolicy forModelWindow(int modelMaxTokens) {
    int usable = modelMaxTokens - 2;
    return new ChunkingPolicy(usable, usable / 8, usable / 8);
  }
}
