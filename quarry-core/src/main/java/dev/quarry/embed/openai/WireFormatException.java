package dev.quarry.embed.openai;

/**
 * A body that is not the record it should be; the message says what is wrong, for the other end.
 */
public final class WireFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean json;

  WireFormatException(String message, boolean json, Throwable cause) {
    super(message, cause);
    this.json = json;
  }

  /** Whether the body was JSON at all (false: not JSON, or cut short). */
  public boolean json() {
    return json;
  }
}
