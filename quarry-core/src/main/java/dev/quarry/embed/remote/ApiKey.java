package dev.quarry.embed.remote;

import java.util.Map;

/**
 * A bearer token for the endpoint. Held apart from every other value so it cannot leak by accident:
 * {@link #toString} never shows it, and messages that might echo it are passed through {@link
 * #redact}.
 */
public final class ApiKey {
  /** The environment variable the key is read from. */
  public static final String VARIABLE = "QUARRY_EMBEDDER_API_KEY";

  private static final ApiKey NONE = new ApiKey("");

  private final String value;

  private ApiKey(String value) {
    this.value = value;
  }

  public static ApiKey of(String value) {
    return value == null || value.isBlank() ? NONE : new ApiKey(value.trim());
  }

  public static ApiKey none() {
    return NONE;
  }

  /** The key in {@code $QUARRY_EMBEDDER_API_KEY} of {@code environment}, or none. */
  public static ApiKey fromEnvironment(Map<String, String> environment) {
    return of(environment.get(VARIABLE));
  }

  boolean present() {
    return !value.isEmpty();
  }

  /** The Authorization header's value. */
  String header() {
    return "Bearer " + value;
  }

  /** {@code text} with every occurrence of the key replaced by {@code ***}. */
  String redact(String text) {
    if (text == null || value.isEmpty()) {
      return text;
    }
    return text.replace(value, "***");
  }

  @Override
  public String toString() {
    return present() ? "ApiKey[***]" : "ApiKey[none]";
  }
}
