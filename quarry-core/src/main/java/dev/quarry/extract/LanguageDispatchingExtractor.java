package dev.quarry.extract;

/**
 * Hands each file to the extractor for its format, chosen by {@link Languages#forPath}: PDFs to
 * one, everything else (code, Markdown, plain text, unknown) to the other, which sniffs for binary
 * content. Thread-safe when both delegates are.
 */
final class LanguageDispatchingExtractor implements Extractor {

  private final Extractor pdf;
  private final Extractor text;

  LanguageDispatchingExtractor(Extractor pdf, Extractor text) {
    this.pdf = pdf;
    this.text = text;
  }

  @Override
  public Extraction extract(String relativePath, byte[] content) throws ExtractionException {
    Extractor extractor = Languages.PDF.equals(Languages.forPath(relativePath)) ? pdf : text;
    return extractor.extract(relativePath, content);
  }
}
