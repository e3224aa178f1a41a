package dev.quarry.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real {@code quarry} process (a JVM of its own, the test's class path), output to a file. */
record QuarryProcess(Process process, Path log) {

  static QuarryProcess start(Path work, String... args) throws IOException {
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
    Path output = Files.createTempFile(work, "quarry-", ".log");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    return new QuarryProcess(process, output);
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
