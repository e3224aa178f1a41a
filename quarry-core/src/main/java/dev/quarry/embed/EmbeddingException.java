package dev.quarry.embed;

/** An embedding model could not be loaded or failed on a batch. */
public final class EmbeddingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EmbeddingException(String message, Throwable cause) {
    super(message, cause);
  }

  public EmbeddingException(String message) {
    super(message);
  }
}
