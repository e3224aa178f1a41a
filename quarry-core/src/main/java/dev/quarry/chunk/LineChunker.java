package dev.quarry.chunk;

import dev.quarry.extract.ExtractedDocument;
import java.util.ArrayList;
import java.util.List;

/**
 * Chunks any text by whole lines under the model's token budget, with a small overlap where a cut
 * is forced. Line-aligned, so code chunks start and end on statement lines and carry exact line
 * ranges.
 */
final class LineChunker implements Chunker {
  private final Tokenizer tokenizer;
  private final ChunkingPolicy policy;

  LineChunker(Tokenizer tokenizer, ChunkingPolicy policy) {
    this.tokenizer = tokenizer;
    this.policy = policy;
  }

  @Override
  public List<Chunk> chunk(String path, ExtractedDocument document) {
    List<Chunk> out = new ArrayList<>();
    new LinePacker(path, document, tokenizer, policy, out)
        .pack(0, document.text().length() + 1, 1, "", 0);
    return out;
  }
}
