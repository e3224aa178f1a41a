package dev.quarry.cache;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the shared tier needs that must stay out of config files and messages: the Redis password
 * (when the URI has none) and the team key that signs values. {@link #toString} shows neither.
 *
 * @param password the password for Redis AUTH, when the URI carries none
 * @param teamKey the key values are signed with; empty: values carry a checksum only
 */
public record RedisSecrets(Optional<String> password, Optional<TeamKey> teamKey) {
  /** The environment variable holding the Redis password. */
  public static final String PASSWORD_VARIABLE = "QUARRY_CACHE_REDIS_PASSWORD";

  /** The environment variable holding the team key (a key file, when set, wins). */
  public static final String KEY_VARIABLE = "QUARRY_CACHE_REDIS_KEY";

  public static RedisSecrets none() {
    return new RedisSecrets(Optional.empty(), Optional.empty());
  }

  /**
   * The secrets from {@code environment} ({@value #PASSWORD_VARIABLE}, {@value #KEY_VARIABLE}) and
   * the team key in {@code keyFile}, if any.
   *
   * @throws IllegalArgumentException naming the file or variable when a key is unreadable or short
   */
  public static RedisSecrets of(Map<String, String> environment, Optional<Path> keyFile) {
    String password = environment.get(PASSWORD_VARIABLE);
    Optional<TeamKey> key = keyFile.map(TeamKey::read);
    String keyText = environment.get(KEY_VARIABLE);
    if (key.isEmpty() && keyText != null && !keyText.isBlank()) {
      try {
        key = Optional.of(TeamKey.of(keyText));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(KEY_VARIABLE + ": " + e.getMessage());
      }
    }
    return new RedisSecrets(
        password == null || password.isEmpty() ? Optional.empty() : Optional.of(password), key);
  }

  @Override
  public String toString() {
    return "RedisSecrets[password="
        + (password.isPresent() ? "***" : "none")
        + ", teamKey="
        + (teamKey.isPresent() ? "***" : "none")
        + "]";
  }
}
