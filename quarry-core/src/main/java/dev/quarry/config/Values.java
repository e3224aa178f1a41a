package dev.quarry.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for setting values written by people: sizes, durations, counts, booleans. */
public final class Values {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmg]?)(i?b)?");
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Values() {}

  /** Parses sizes like {@code 4MiB}, {@code 512k}, {@code 1g} or plain bytes. */
  public static long parseSize(String value) {
    Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + value + "' is not a size (examples: 4MiB, 512k, 1g, 1048576)");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "' is too large", e);
    }
    int shift =
        switch (m.group(2)) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          default -> 0;
        };
    if (n <= 0 || Long.numberOfLeadingZeros(n) <= shift) {
      throw new IllegalArgumentException(
          "size must be positive and below 8 EiB, got '" + value + "'");
    }
    return n << shift;
  }

  /**
   * Parses durations like {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code
   * PT30S}).
   */
  public static Duration parseDuration(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    Matcher m = DURATION.matcher(v);
    Duration d;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofHours(n);
          };
    } else {
      try {
        d = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "'" + value + "' is not a duration (examples: 30s, 2m, 500ms)", e);
      }
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("duration must be positive, got '" + value + "'");
    }
    return d;
  }

  /** Parses a count of at least 1. */
  public static int parsePositiveInt(String value) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException("'" + value + "' is not a whole number of at least 1");
  }

  /**
   * Parses a thread count: at least 1 and at most {@link #maxThreads()}. Threads beyond a few per
   * core only add contention, and an unbounded count can exhaust the host's thread limit (every
   * other process on it then fails to start threads too).
   */
  public static int parseThreadCount(String value) {
    int cores = Runtime.getRuntime().availableProcessors();
    return parseBoundedInt(
        value, maxThreads(), "threads (" + THREADS_PER_CORE + " per core on " + cores + " cores)");
  }

  /** The most threads a thread-count setting allows on this machine. */
  public static int maxThreads() {
    return Math.max(
        MIN_THREAD_BOUND, THREADS_PER_CORE * Runtime.getRuntime().availableProcessors());
  }

  private static final int THREADS_PER_CORE = 4;
  private static final int MIN_THREAD_BOUND = 8;

  /** Parses a count of at least 1 and at most {@code max} {@code what}. */
  public static int parseBoundedInt(String value, int max, String what) {
    int n = parsePositiveInt(value);
    if (n > max) {
      throw new IllegalArgumentException(
          "'" + value.trim() + "' is more than the limit of " + max + " " + what);
    }
    return n;
  }

  public static boolean parseBoolean(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new IllegalArgumentException("'" + value + "' is not true or false");
    };
  }

  /**
   * A value as a person would write it in a config file: sizes in KiB/MiB/GiB, durations as 30s/2m.
   */
  public static String format(Object value) {
    if (value instanceof Duration d) {
      long ms = d.toMillis();
      return ms % 86_400_000 == 0
          ? ms / 86_400_000 + "d"
          : ms % 3_600_000 == 0
              ? ms / 3_600_000 + "h"
              : ms % 60_000 == 0 ? ms / 60_000 + "m" : ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
    return String.valueOf(value);
  }

  /**
   * A byte count in the largest binary unit that divides it: {@code 4MiB}, {@code 512KiB}, {@code
   * 1000}.
   */
  public static String formatSize(long bytes) {
    String[] units = {"GiB", "MiB", "KiB"};
    int[] shifts = {30, 20, 10};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << shifts[i];
      if (bytes >= unit && bytes % unit == 0) {
        return (bytes >> shifts[i]) + units[i];
      }
    }
    return Long.toString(bytes);
  }
}
