package dev.quarry.serve;

/**
 * A request an embeddings endpoint refuses: its HTTP status, OpenAI-style error code and extra
 * headers (name, value, ...). Answered as {@code {"error":{"message","type","code"}}}.
 */
final class Refusal extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int status;
  final String code;
  final String[] headers;

  Refusal(int status, String code, String message, String... headers) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}
