package dev.quarry.embed;

import dev.quarry.chunk.Chunk;
import java.util.Objects;

/**
 * A chunk and its vector.
 *
 * @param vector the chunk's vector, or null when the run does not embed (lexical only)
 */
public record EmbeddedChunk(Chunk chunk, float[] vector) {
  public EmbeddedChunk {
    Objects.requireNonNull(chunk, "chunk");
  }

  public boolean hasVector() {
    return vector != null;
  }
}
