package dev.quarry.chunk;

/**
 * A piece of a file small enough to embed, the unit that search returns.
 *
 * @param path the file's '/'-separated path relative to its root
 * @param language the file's language (see {@code dev.quarry.extract.Languages})
 * @param ordinal position of the chunk in its file, from 0
 * @param startLine first line (1-based, inclusive)
 * @param endLine last line (1-based, inclusive)
 * @param page the PDF page the chunk starts on, or 0 for formats without pages
 * @param context what the text is part of: the Markdown heading path, or "" when none. It is
 *     embedded and indexed with the text but not part of it
 * @param text the chunk's lines, exactly as in the file
 * @param hash content hash of what is embedded ({@link #embeddingInput()}); equal hashes mean equal
 *     vectors, whatever file or position the chunk comes from
 */
public record Chunk(
    String path,
    String language,
    int ordinal,
    int startLine,
    int endLine,
    int page,
    String context,
    String text,
    String hash) {

  /** What the embedding model sees: the context line (when there is one), then the text. */
  public String embeddingInput() {
    return embeddingInput(context, text);
  }

  static String embeddingInput(String context, String text) {
    return context.isEmpty() ? text : context + "\n" + text;
  }
}
