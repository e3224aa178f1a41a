package dev.quarry.extract;

/** The extractors Quarry ships, chosen by file format. */
public final class Extractors {
  /**
   * Bumped whenever extraction gives different text for the same bytes, so files extracted by an
   * older version are extracted again on the next run.
   */
  public static final String VERSION = "text-pdf-1";

  private static final Extractor STANDARD = new Extractor() {
    private final Extractor text = new TextExtractor();
    private final Extractor pdf = new PdfExtractor();

    @Override
    public Extraction extract(String relativePath, byte[] content) throws ExtractionException {
      if (content.length == 0) {
        return new Extraction.Skip(dev.quarry.scan.SkipReason.EMPTY);
      }
      return Languages.PDF.equals(Languages.of(relativePath))
          ? pdf.extract(relativePath, content)
          : text.extract(relativePath, content);
    }
  };

  private Extractors() {}

  /** PDF by PDFBox, everything else as text. Thread-safe. */
  public static Extractor standard() {
    return STANDARD;
  }
}
