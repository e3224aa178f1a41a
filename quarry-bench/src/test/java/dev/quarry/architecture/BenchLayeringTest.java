package dev.quarry.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of quarry-bench depend one way, as quarry-core's LayeringTest keeps the engine's:
 * the JSON mapper on nothing of Quarry, eval on the engine and the mapper, the suite on eval, the
 * peer programs on anything. No package of quarry-core may import them (quarry-core cannot: it does
 * not depend on this module).
 */
class BenchLayeringTest {
  private static final Map<String, Integer> STAGE =
      Map.of(
          "dev.quarry.bench.json", 0,
          "dev.quarry.eval", 1,
          "dev.quarry.bench", 2,
          "dev.quarry.bench.peer", 3);

  private static final Pattern IMPORT =
      Pattern.compile(
          "^import (?:static )?(dev\\.quarry(?:\\.[a-z]+)*)\\.[A-Z]", Pattern.MULTILINE);

  @Test
  void packagesDependOneWay() throws IOException {
    Path sources = Path.of("src/main/java/dev/quarry");
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String pkg =
            "dev.quarry." + sources.relativize(file.getParent()).toString().replace('/', '.');
        Integer own = STAGE.get(pkg);
        assertThat(own).as("package %s has no stage in BenchLayeringTest", pkg).isNotNull();
        Matcher m = IMPORT.matcher(Files.readString(file));
        while (m.find()) {
          Integer other = STAGE.get(m.group(1));
          if (other != null && !m.group(1).equals(pkg) && other >= own) {
            violations.add(file.getFileName() + " (" + pkg + ") imports " + m.group(1));
          }
          if (own == 0 && m.group(1).startsWith("dev.quarry")) {
            violations.add(file.getFileName() + " (" + pkg + ") imports " + m.group(1));
          }
        }
      }
    }
    assertThat(violations).isEmpty();
  }
}
