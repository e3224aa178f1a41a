package dev.quarry.store;

/**
 * A chunk as a store keeps it, for showing a hit.
 *
 * @param file the file's id (its absolute path)
 * @param path the file's path relative to its root
 * @param page the PDF page the chunk starts on, 0 for other formats
 */
public record StoredChunk(
    String file,
    String path,
    String language,
    int startLine,
    int endLine,
    int page,
    String context,
    String text) {}
