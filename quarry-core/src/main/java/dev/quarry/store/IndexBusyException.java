package dev.quarry.store;

import java.io.IOException;

/**
 * The index's write lock is held, by a run or by a check or repair: one writer at a time. The
 * caller can try again once it is free.
 */
public class IndexBusyException extends IOException {
  private static final long serialVersionUID = 1L;

  public IndexBusyException(String message, Throwable cause) {
    super(message, cause);
  }
}
