package dev.quarry.server;

/** A request the server refuses: its status and the message of the {@code {"error"}} body. */
final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int status;
  final String[] headers;

  HttpError(int status, String message, String... headers) {
    super(message, null, false, false);
    this.status = status;
    this.headers = headers;
  }
}
