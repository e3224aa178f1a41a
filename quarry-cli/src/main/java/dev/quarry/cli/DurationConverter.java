package dev.quarry.cli;

import dev.quarry.config.Values;
import java.time.Duration;
import picocli.CommandLine;

/** Parses durations like {@code 30s}, {@code 2m}, {@code 500ms} or ISO-8601. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return Values.parseDuration(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
