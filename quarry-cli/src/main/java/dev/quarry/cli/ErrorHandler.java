package dev.quarry.cli;

import picocli.CommandLine;

/** Turns an exception out of a command into one clear line on stderr and an exit code. */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(
      Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    Throwable cause = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
    // A message may quote a path or a config key: shown without its control characters.
    commandLine.getErr().println("quarry: " + TerminalText.safe(ExitCodes.message(cause)));
    if (System.getenv("QUARRY_DEBUG") != null) {
      cause.printStackTrace(commandLine.getErr());
    }
    return ExitCodes.forException(cause);
  }
}
