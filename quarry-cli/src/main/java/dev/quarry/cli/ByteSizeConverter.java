package dev.quarry.cli;

import dev.quarry.config.Values;
import picocli.CommandLine;

/** Parses sizes like {@code 4MiB}, {@code 512k}, {@code 1g} or plain bytes. */
final class ByteSizeConverter implements CommandLine.ITypeConverter<Long> {
  @Override
  public Long convert(String value) {
    try {
      return Values.parseSize(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
