package dev.quarry.extract;

import dev.quarry.scan.SkipReason;

/** What extraction made of a file: text to chunk, or a reason not to index it. */
public sealed interface Extraction {

  /** The file has text. */
  record Text(ExtractedDocument document) implements Extraction {}

  /** The file is not for indexing (binary content, empty, ...). */
  record Skip(SkipReason reason) implements Extraction {}
}
