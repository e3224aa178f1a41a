package dev.quarry.cli;

/**
 * A mistake of the user's: a bad flag value or argument, an index that cannot serve the request as
 * asked, a missing choice. Exits 2 ({@link ExitCodes#USAGE}); the message says what to do. Only the
 * CLI throws it; an exception out of the library is not a usage error by itself.
 */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }

  UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
