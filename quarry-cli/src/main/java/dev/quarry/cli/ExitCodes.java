package dev.quarry.cli;

import dev.quarry.config.ConfigException;
import dev.quarry.store.IndexMissingException;
import picocli.CommandLine.ParameterException;

/** Exit codes, in one place (documented in {@code quarry --help} and the README). */
final class ExitCodes {
  static final int OK = 0;
  static final int PARTIAL = 1;
  static final int USAGE = 2;
  static final int NO_INDEX = 3;
  static final int ERROR = 4;
  static final int REGRESSION = 5;
  static final int INTERRUPTED = 130;

  private ExitCodes() {}

  /**
   * The exit code of a command that ended with {@code t}. Usage errors are the ones the CLI names
   * as such (a {@link UsageException}, a flag picocli could not parse, a setting that cannot be
   * used); any other exception, {@code IllegalArgumentException} and {@code IllegalStateException}
   * out of the library included, is an error ({@link #ERROR}), not the user's fault.
   */
  static int forException(Throwable t) {
    return switch (t) {
      case IndexMissingException e -> NO_INDEX;
      case UsageException e -> USAGE;
      case ConfigException e -> USAGE;
      case ParameterException e -> USAGE;
      case InterruptedException e -> INTERRUPTED;
      case ChangeListInput.FramingMistake e -> PARTIAL; // as a sync whose every line failed
      default -> ERROR;
    };
  }

  /** The message a user sees for an exception: what went wrong, never a stack trace. */
  static String message(Throwable t) {
    String message = t.getMessage();
    return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
  }
}
