package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ./quarry} launcher script, run for real by bash on a copy of the checkout. */
class LauncherTest {
  @TempDir Path checkout;

  /** The repository root: surefire runs in the module's folder. */
  private static Path repository() {
    return Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
  }

  // Issue 11, item 19: where the launcher cannot write its caches, every command printed
  // "Permission denied". Its cache files are made folders here: no one can write over those, not
  // even root (tests may run as root, whom chmod does not stop).
  @Tag("hostile")
  @Test
  void aCheckoutWhereTheLauncherCannotWriteItsCachesRunsSilently() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash is not installed");
    Files.copy(repository().resolve("quarry"), checkout.resolve("quarry"));
    Files.createDirectories(checkout.resolve("scripts"));
    Files.copy(
        repository().resolve("scripts/find-java.sh"), checkout.resolve("scripts/find-java.sh"));
    Path target = Files.createDirectories(checkout.resolve("quarry-cli/target"));
    Files.createDirectories(target.resolve("lib"));
    builtJar(target.resolve("quarry-cli.jar"));
    Files.createDirectories(target.resolve(".java-home"));
    Files.createDirectories(target.resolve("quarry.aot"));
    Files.writeString(target.resolve(".built"), ""); // the build is up to date: nothing to build

    Path out = checkout.resolve("out.txt");
    Path err = checkout.resolve("err.txt");
    ProcessBuilder launcher =
        new ProcessBuilder("/bin/bash", checkout.resolve("quarry").toString(), "--version")
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    launcher.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process process = launcher.start();
    if (!process.waitFor(300, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the launcher did not finish in 300 s");
    }
    // The JVM's own notice for the vector module is printed by every checkout: not the launcher's.
    assertThat(
            Files.readString(err, StandardCharsets.UTF_8)
                .lines()
                .filter(
                    line -> !line.equals("WARNING: Using incubator modules: jdk.incubator.vector")))
        .isEmpty();
    assertThat(process.exitValue()).isZero();
    assertThat(Files.readString(out, StandardCharsets.UTF_8)).startsWith("quarry ");
    assertThat(Files.isDirectory(target.resolve(".java-home"))).isTrue();
  }

  /**
   * A stand-in for the built jar: a manifest whose class path is this test's (relative to the jar,
   * as the jar specification wants), so the launcher runs this build's classes.
   */
  private static void builtJar(Path jar) throws Exception {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry).toAbsolutePath();
      String relative = jar.getParent().relativize(path).toString();
      if (Files.isDirectory(path)) {
        relative += "/";
      }
      entries.add(new URI(null, null, relative, null).toASCIIString());
    }
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", entries));
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      out.finish(); // the manifest is all it holds
    }
  }
}
