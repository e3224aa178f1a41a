package dev.quarry.extract;

import dev.quarry.scan.SkipReason;

/** Plain text, source code and Markdown: sniff for binary content, decode, name the language. */
final class TextExtractor implements Extractor {
  @Override
  public Extraction extract(String relativePath, byte[] content) {
    if (content.length == 0) {
      return new Extraction.Skip(SkipReason.EMPTY);
    }
    if (BinarySniffer.isBinary(content)) {
      return new Extraction.Skip(SkipReason.BINARY);
    }
    TextDecoder.Decoded decoded = TextDecoder.decode(content);
    return new Extraction.Text(new ExtractedDocument(
        decoded.text(), Languages.of(relativePath), java.util.List.of(), decoded.charset(), decoded.replaced()));
  }
}
