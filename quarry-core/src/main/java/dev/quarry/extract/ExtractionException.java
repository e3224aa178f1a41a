package dev.quarry.extract;

/**
 * The file's content cannot be turned into text (a corrupt or encrypted PDF, ...). The message is
 * the cause shown to the user, without the path (the caller adds it).
 */
public final class ExtractionException extends Exception {
  private static final long serialVersionUID = 1L;

  public ExtractionException(String message) {
    super(message);
  }

  public ExtractionException(String message, Throwable cause) {
    super(message, cause);
  }
}
