package dev.quarry.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code quarry} command: subcommands, and the only place that calls {@code System.exit} or
 * touches {@code System.out} and {@code System.err}; commands print through picocli's writers
 * ({@code spec.commandLine().getOut()}, {@code getErr()}), which tests may replace.
 */
@Command(
    name = "quarry",
    mixinStandardHelpOptions = true,
    // --help and --version on every subcommand too ('quarry index --help')
    scope = CommandLine.ScopeType.INHERIT,
    versionProvider = QuarryCli.Version.class,
    description =
        "Keeps a search index of a file tree in sync and searches it (lexical, semantic, hybrid).",
    subcommands = {
      IndexCommand.class,
      SyncCommand.class,
      CacheCommand.class,
      SearchCommand.class,
      StatusCommand.class,
      FilesCommand.class,
      CheckCommand.class,
      RunsCommand.class,
      EvalCommand.class,
      ConfigCommand.class,
      BenchCommand.class,
      ServeCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:finished, but some files failed (see the summary)",
      "2:usage error (bad option or argument)",
      "3:no index found",
      "4:error (I/O, index locked by another run, ...)",
      "5:a benchmark figure regressed against the baseline (quarry bench)",
      "130:interrupted by Ctrl-C (what was done is committed; 143 for SIGTERM)"
    })
public final class QuarryCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Held so the setting is not garbage-collected with the logger (JUL keeps weak references). */
  private static final java.util.logging.Logger LUCENE_LOG =
      java.util.logging.Logger.getLogger("org.apache.lucene");

  public static void main(String[] args) {
    // Lucene announces its SIMD support at INFO on every start: noise on a command line.
    LUCENE_LOG.setLevel(java.util.logging.Level.WARNING);
    System.exit(execute(args));
  }

  /**
   * Runs the command line on {@code System.out} and {@code System.err} as they are now; returns the
   * exit code.
   */
  public static int execute(String... args) {
    return execute(writer(System.out), writer(System.err), args);
  }

  /**
   * Runs the command line printing to {@code out} and {@code err} (both flushed at the end);
   * returns the exit code.
   */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new QuarryCli());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(new ErrorHandler());
    cli.setExitCodeExceptionMapper(ExitCodes::forException);
    cli.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
    try {
      return cli.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * A writer on {@code stream} in its own charset, flushed at each line like the stream itself (so
   * stdout and stderr interleave as printed); a command writing many lines buffers on top of it.
   */
  private static PrintWriter writer(PrintStream stream) {
    return new PrintWriter(
        new BufferedWriter(new OutputStreamWriter(stream, stream.charset())), true);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** Reads the version from the jar manifest, or says it is a development build. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = QuarryCli.class.getPackage().getImplementationVersion();
      return new String[] {"quarry " + (v == null ? "development build" : v)};
    }
  }
}
