package dev.quarry.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
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
  /**
   * The subcommands, in the order help lists them. Only the one a command line names is built:
   * picocli reads every option of every command it is given by reflection, which took 150 ms of a
   * 250 ms start, and a search through a running server should cost little more than the JVM.
   */
  private static final Map<String, Class<?>> SUBCOMMANDS = new LinkedHashMap<>();

  static {
    SUBCOMMANDS.put("index", IndexCommand.class);
    SUBCOMMANDS.put("sync", SyncCommand.class);
    SUBCOMMANDS.put("cache", CacheCommand.class);
    SUBCOMMANDS.put("search", SearchCommand.class);
    SUBCOMMANDS.put("status", StatusCommand.class);
    SUBCOMMANDS.put("files", FilesCommand.class);
    SUBCOMMANDS.put("check", CheckCommand.class);
    SUBCOMMANDS.put("runs", RunsCommand.class);
    SUBCOMMANDS.put("eval", EvalCommand.class);
    SUBCOMMANDS.put("config", ConfigCommand.class);
    SUBCOMMANDS.put("bench", BenchCommand.class);
    SUBCOMMANDS.put("serve", ServeCommand.class);
    SUBCOMMANDS.put("mcp", McpCommand.class);
    SUBCOMMANDS.put("help", CommandLine.HelpCommand.class);
  }

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
    CommandLine cli = commandLine(args.length > 0 ? args[0] : null);
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

  /** The whole command: every subcommand (help lists them, tests look them up). */
  static CommandLine commandLine() {
    return commandLine(null);
  }

  /**
   * The command with only subcommand {@code first} when that names one; else (help, a usage error,
   * an unknown command) every subcommand, for the list and the suggestions.
   */
  private static CommandLine commandLine(String first) {
    CommandLine cli = new CommandLine(new QuarryCli());
    Class<?> named = first == null ? null : SUBCOMMANDS.get(first);
    if (named != null && named != CommandLine.HelpCommand.class) {
      cli.addSubcommand(first, subcommand(named));
    } else {
      SUBCOMMANDS.forEach((name, type) -> cli.addSubcommand(name, subcommand(type)));
    }
    return cli;
  }

  /**
   * A subcommand with its settings flags: picocli applies a command's model transformer to the
   * subcommands its annotation lists, not to one added by hand.
   */
  private static CommandLine subcommand(Class<?> type) {
    CommandLine sub = new CommandLine(type);
    if (!sub.getCommandSpec().mixins().containsKey("settings")) {
      new SettingOptions.Install().transform(sub.getCommandSpec());
    }
    return sub;
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
