package dev.quarry.extract;

/** Turns a file's bytes into text. Implementations are stateless and thread-safe. */
public interface Extractor {

  /**
   * @param relativePath the file's '/'-separated path (its extension picks the format)
   * @param content the whole file content
   * @throws ExtractionException when the content is of the file's format but cannot be read
   *     (corrupt, encrypted); the message says why
   */
  Extraction extract(String relativePath, byte[] content) throws ExtractionException;
}
