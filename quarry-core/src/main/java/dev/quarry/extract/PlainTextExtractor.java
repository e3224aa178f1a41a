package dev.quarry.extract;

import dev.quarry.scan.SkipReason;
import java.util.List;

/**
 * Extracts source code, Markdown and any other text: skips empty and binary content, decodes the
 * rest with {@link TextDecoder}, and labels it with the language {@link Languages} gives its path.
 * Stateless and thread-safe.
 */
final class PlainTextExtractor implements Extractor {

  @Override
  public Extraction extract(String relativePath, byte[] content) {
    if (content.length == 0) {
      return new Extraction.Skip(SkipReason.EMPTY);
    }
    if (BinarySniffer.isBinary(content)) {
      return new Extraction.Skip(SkipReason.BINARY);
    }
    TextDecoder.DecodedText decoded = TextDecoder.decode(content);
    // A file holding only a byte order mark has no characters at all.
    if (decoded.text().isEmpty()) {
      return new Extraction.Skip(SkipReason.EMPTY);
    }
    return new Extraction.Text(
        new ExtractedDocument(
            decoded.text(),
            Languages.forPath(relativePath),
            List.of(),
            decoded.charset(),
            decoded.replacedCharacters()));
  }
}
