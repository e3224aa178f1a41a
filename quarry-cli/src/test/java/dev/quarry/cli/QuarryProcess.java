package dev.quarry.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real {@code quarry} process (a JVM of its own, the test's class path), output to a file. */
record QuarryProcess(Process process, Path log) {

  static QuarryProcess start(Path work, String... args) throws IOException {
    return start(work, Map.of(), args);
  }

  /**
   * As {@link #start(Path, String...)} with {@code environment} set on top of this one's; a null
   * value removes the variable.
   */
  static QuarryProcess start(Path work, Map<String, String> environment, String... args)
      throws IOException {
    return start(work, environment, command(args));
  }

  /**
   * As {@link #start(Path, String...)}, with SIGINT at its default disposition in the process. A
   * process started in the background by a non-interactive shell (a CI job, {@code nohup ... &})
   * inherits SIGINT ignored, and a JVM that starts with SIGINT ignored installs no handler for it
   * (as it should: the shell meant it), so a test of Ctrl-C must undo that first. Perl (in every
   * Debian system, perl-base) resets it and execs the JVM.
   */
  static QuarryProcess startInterruptible(Path work, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("perl");
    command.add("-e");
    command.add("$SIG{INT} = 'DEFAULT'; exec { $ARGV[0] } @ARGV or die \"exec: $!\"");
    command.addAll(command(args));
    return start(work, Map.of(), command);
  }

  private static QuarryProcess start(
      Path work, Map<String, String> environment, List<String> command) throws IOException {
    Path output = Files.createTempFile(work, "quarry-", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    environment.forEach(
        (name, value) -> {
          if (value == null) {
            builder.environment().remove(name);
          } else {
            builder.environment().put(name, value);
          }
        });
    Process process = builder.start();
    return new QuarryProcess(process, output);
  }

  /** The command line of a quarry process with {@code args}: a JVM on the test's class path. */
  static List<String> command(String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (flag.startsWith("--enable-native-access") || flag.startsWith("--add-modules")) {
        command.add(flag);
      }
    }
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", QuarryCli.class.getName()));
    command.addAll(List.of(args));
    return command;
  }

  int waitFor(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("quarry did not finish in " + seconds + " s: " + output());
    }
    return process.exitValue();
  }

  /** Everything it printed so far (stdout and stderr). */
  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(output unreadable: " + e + ")";
    }
  }
}
