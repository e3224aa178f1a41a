package dev.quarry.extract;

import java.util.List;

/**
 * The text of one file, ready to chunk.
 *
 * @param text the whole text, lines separated by '\n' (CR LF and lone CR normalised to '\n')
 * @param language a lower-case language or format name ("java", "python", "markdown", "pdf",
 *     "text", ...); see {@link Languages}
 * @param pageStartLines for paged formats (PDF), the 1-based line number at which each page starts,
 *     in order (page 1 first); empty for formats without pages
 * @param charset the charset the bytes were decoded with ("UTF-8", "UTF-16LE", "windows-1252",
 *     ...), or the format for non-text formats ("pdf")
 * @param replacedCharacters how many undecodable byte sequences were replaced by U+FFFD
 */
public record ExtractedDocument(
    String text,
    String language,
    List<Integer> pageStartLines,
    String charset,
    int replacedCharacters) {

  public ExtractedDocument {
    pageStartLines = List.copyOf(pageStartLines);
  }

  /** The 1-based page that 1-based {@code line} falls on, or 0 when the format has no pages. */
  public int pageOfLine(int line) {
    int page = 0;
    for (int start : pageStartLines) {
      if (start > line) {
        break;
      }
      page++;
    }
    return page;
  }
}
