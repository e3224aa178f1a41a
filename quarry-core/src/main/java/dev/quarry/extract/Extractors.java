package dev.quarry.extract;

/** The extractors Quarry ships. */
public final class Extractors {
  /**
   * Bumped whenever extraction gives different text or language for the same bytes, so files
   * extracted by an older version are extracted again on the next run. 2: more code languages
   * (Elixir, Haskell, Lua, Zig, ...), which were plain text before.
   */
  public static final String VERSION = "text-pdf-2";

  private static final Extractor STANDARD =
      new LanguageDispatchingExtractor(new PdfBoxExtractor(), new PlainTextExtractor());

  private Extractors() {}

  /**
   * The extractor for every format Quarry reads: PDF through Apache PDFBox, and any other file as
   * text in a detected encoding, with binary content skipped whatever the extension claims.
   * Stateless and thread-safe: one instance serves all threads.
   */
  public static Extractor standard() {
    return STANDARD;
  }
}
