package dev.quarry.embed.remote;

import java.time.Duration;

/**
 * One call to the endpoint failed. Its message names the endpoint and what went wrong, never the
 * API key. {@link Kind} says whether trying again can help.
 */
final class RemoteCallException extends Exception {
  private static final long serialVersionUID = 1L;

  enum Kind {
    /**
     * A timeout, a refused or reset connection, a 5xx: worth retrying, and a sign of an unhealthy
     * endpoint.
     */
    TRANSIENT(true),
    /** 429: the endpoint is healthy but busy; retried after its {@code Retry-After}. */
    RATE_LIMITED(true),
    /** A 4xx other than 408/429: the request itself is refused; retrying would not help. */
    REJECTED(false),
    /** The endpoint answered 200 with something that is not the vectors asked for. */
    INVALID_RESPONSE(false);

    final boolean retryable;

    Kind(boolean retryable) {
      this.retryable = retryable;
    }
  }

  private final Kind kind;
  private final transient Duration retryAfter;

  RemoteCallException(Kind kind, String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.retryAfter = retryAfter == null ? Duration.ZERO : retryAfter;
  }

  RemoteCallException(Kind kind, String message) {
    this(kind, message, Duration.ZERO, null);
  }

  Kind kind() {
    return kind;
  }

  /** How long the endpoint asked us to wait (zero when it did not say). */
  Duration retryAfter() {
    return retryAfter;
  }
}
