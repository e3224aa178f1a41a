package dev.quarry.cache;

/** A cache tier's store failed (down, slow, full, corrupt): the cache goes on without it. */
final class CacheTierException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CacheTierException(String message, Throwable cause) {
    super(message, cause);
  }
}
