/**
 * Chunking: documents into pieces the embedding model can take whole. Chunk sizes are counted in
 * the model's own tokens; every chunk carries its path, language, line range (page for PDFs) and a
 * content hash that keys its vector.
 */
package dev.quarry.chunk;
