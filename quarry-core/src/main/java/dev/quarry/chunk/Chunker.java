package dev.quarry.chunk;

import dev.quarry.extract.ExtractedDocument;
import java.util.List;

/**
 * Splits a document into chunks that fit the embedding model's window. A syntax-aware chunker
 * (tree-sitter) plugs in here: it gets the same document and must keep the same guarantees (chunks
 * cover every non-blank line, stay within the token budget, carry exact line ranges).
 * Implementations are stateless and thread-safe.
 */
public interface Chunker {

  /** Chunks of {@code document}, in file order, ordinals from 0. */
  List<Chunk> chunk(String path, ExtractedDocument document);
}
