package dev.quarry.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Parses sizes like {@code 4MiB}, {@code 512k}, {@code 1g} or plain bytes. */
final class ByteSizeConverter implements CommandLine.ITypeConverter<Long> {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmg]?)(i?b)?");

  @Override
  public Long convert(String value) {
    Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a size (examples: 4MiB, 512k, 1g, 1048576)");
    }
    long n = Long.parseLong(m.group(1));
    long bytes = switch (m.group(2)) {
      case "k" -> n << 10;
      case "m" -> n << 20;
      case "g" -> n << 30;
      default -> n;
    };
    if (bytes <= 0) {
      throw new CommandLine.TypeConversionException("size must be positive, got '" + value + "'");
    }
    return bytes;
  }
}
