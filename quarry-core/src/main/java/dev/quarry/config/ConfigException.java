package dev.quarry.config;

/**
 * A setting that cannot be used; the message names the setting, its value and where it came from.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
