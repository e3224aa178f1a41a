package dev.quarry.chunk;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How code is chunked: the {@code chunker} setting. Markdown is chunked by sections either way. */
public enum ChunkerKind {
  /** Whole lines under the token budget, for every language. */
  LINES("lines", Chunkers.VERSION),
  /**
   * Along the syntax (tree-sitter) for the languages with a grammar, by lines for the others and
   * for files that do not parse.
   */
  SYNTAX("syntax", "syntax-1+" + Chunkers.VERSION);

  private final String text;
  private final String version;

  ChunkerKind(String text, String version) {
    this.text = text;
    this.version = version;
  }

  /** The name in settings and flags. */
  public String text() {
    return text;
  }

  /**
   * Changes whenever chunk boundaries change for the same input: part of the pipeline version, so
   * switching chunkers re-chunks every file on the next run.
   */
  public String version() {
    return version;
  }

  /**
   * The kind named {@code text}.
   *
   * @throws IllegalArgumentException naming the valid names when it is none of them
   */
  public static ChunkerKind parse(String text) {
    for (ChunkerKind kind : values()) {
      if (kind.text.equals(text.strip().toLowerCase(Locale.ROOT))) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown chunker '"
            + text
            + "'; one of: "
            + Arrays.stream(values()).map(ChunkerKind::text).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return text;
  }
}
