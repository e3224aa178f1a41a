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

  @Override
  void close();
}
