package dev.quarry.cli;

import dev.quarry.index.IndexMissingException;
import org.apache.lucene.store.LockObtainFailedException;

/** Exit codes, in one place (documented in {@code quarry --help}). */
final class ExitCodes {
  static final int OK = 0;
  static final int PARTIAL = 1;
  static final int USAGE = 2;
  static final int NO_INDEX = 3;
  static final int ERROR = 4;
  static final int REGRESSION = 5;
  static final int INTERRUPTED = 130;

  private ExitCodes() {}

  static int forException(Throwable t) {
    if (t instanceof IndexMissingException) {
      return NO_INDEX;
    }
    if (t instanceof IllegalArgumentException || t instanceof dev.quarry.config.ConfigException || t instanceof picocli.CommandLine.ParameterException) {
      return USAGE;
    }
    if (t instanceof InterruptedException) {
      return INTERRUPTED;
    }
    return ERROR;
  }

  /** The message a user sees for an exception: what went wrong, never a stack trace. */
  static String message(Throwable t) {
    if (t instanceof LockObtainFailedException) {
      return "the index is locked by another Quarry run (" + t.getMessage() + ")";
    }
    String message = t.getMessage();
    return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
  }
}
