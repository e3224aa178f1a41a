package dev.quarry.embed;

import dev.quarry.chunk.Tokenizer;
import java.util.List;

/**
 * Turns texts into vectors. Implementations are thread-safe; {@link #embed} may be called from
 * several threads at once.
 */
public interface EmbeddingModel extends AutoCloseable {

  ModelIdentity identity();

  /** The tokenizer whose tokens {@link ModelIdentity#maxTokens()} counts. */
  Tokenizer tokenizer();

  /**
   * Embeds each text. Texts longer than the model's window are truncated (chunkers avoid that).
   *
   * @return one vector per text, in order, each of {@link ModelIdentity#dimensions()} floats
   * @throws EmbeddingException when the model fails
   */
  List<float[]> embed(List<String> texts);

  /** Embeds a search query (some models want a prefix on queries; this one does not). */
  default float[] embedQuery(String query) {
    return embed(List.of(query)).get(0);
  }

  /**
   * Whether embedding a text costs less than keeping its vector: runs then skip the vector cache. A
   * static model embeds thousands of chunks a second; caching its vectors would only spend heap
   * (the memory tier) and disk (a kilobyte a chunk) on what is recomputed in microseconds.
   */
  default boolean cheaperThanACache() {
    return false;
  }

  @Override
  void close();
}
