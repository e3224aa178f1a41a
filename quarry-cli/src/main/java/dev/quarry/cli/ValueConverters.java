package dev.quarry.cli;

import dev.quarry.config.Values;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converters of option values written the way settings are (counts, sizes, durations), parsed by
 * {@link Values} so they read the same in a flag as in the config file; a bad value is a usage
 * error naming the option and the value.
 */
final class ValueConverters {
  private ValueConverters() {}

  /** {@code value} parsed, or picocli's conversion error with the parser's message. */
  static <T> T parsed(String value, Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  /** A count of at least 1. */
  static final class PositiveInt implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return parsed(value, Values::parsePositiveInt);
    }
  }

  /** A size: {@code 4MiB}, {@code 512k}, {@code 1g}, or bytes. */
  static final class Size implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return parsed(value, Values::parseSize);
    }
  }

  /** A duration: {@code 30s}, {@code 2m}, {@code 30d}, {@code 500ms}, or ISO-8601. */
  static final class Duration implements ITypeConverter<java.time.Duration> {
    @Override
    public java.time.Duration convert(String value) {
      return parsed(value, Values::parseDuration);
    }
  }
}
