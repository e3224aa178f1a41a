package dev.quarry.embed.openai;

/** OpenAI's error body: {@code {"error":{"message","type","code"}}}. */
public record ErrorResponse(Detail error) {

  /**
   * @param type {@code invalid_request_error} or {@code server_error}
   * @param code what went wrong, e.g. {@code model_not_found}
   */
  public record Detail(String message, String type, String code) {}

  /** The error for an HTTP {@code status}: a server error from 500 on, else an invalid request. */
  public static ErrorResponse of(int status, String code, String message) {
    return new ErrorResponse(
        new Detail(message, status >= 500 ? "server_error" : "invalid_request_error", code));
  }
}
