package dev.quarry.cli;

import dev.quarry.config.Values;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converters of option values written the way settings are (counts, sizes, durations), parsed by
 * {@link Values} so they read the same in a flag as in the config file; a bad value is a usage
 * error naming the option and the value.
 */
final class ValueConverters {
  private ValueConverters() {}

  /** A count of at least 1. */
  static final class PositiveInt implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        return Values.parsePositiveInt(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A size: {@code 4MiB}, {@code 512k}, {@code 1g}, or bytes. */
  static final class Size implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return Values.parseSize(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A duration: {@code 30s}, {@code 2m}, {@code 30d}, {@code 500ms}, or ISO-8601. */
  static final class Duration implements ITypeConverter<java.time.Duration> {
    @Override
    public java.time.Duration convert(String value) {
      try {
        return Values.parseDuration(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
