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
 * Keeps the pipeline's stages depending one way: each package imports only packages of earlier
 * stages. In particular search never depends on the pipeline nor on the Lucene index (only on the
 * store seam), the store seam ({@code store}) never on an implementation of it ({@code index}, the
 * Lucene index), and no stage on the facade.
 */
class LayeringTest {
  /** Stage of each package: a package may import only packages of a strictly lower stage. */
  private static final Map<String, Integer> STAGE =
      Map.ofEntries(
          Map.entry("dev.quarry.json", -1),
          Map.entry("dev.quarry.fs", -1),
          Map.entry("dev.quarry.scan", 0),
          Map.entry("dev.quarry.changes", 0),
          Map.entry("dev.quarry.extract", 1),
          Map.entry("dev.quarry.analysis", 1),
          Map.entry("dev.quarry.chunk", 2),
          Map.entry("dev.quarry.embed", 3),
          Map.entry("dev.quarry.embed.openai", 3),
          Map.entry("dev.quarry.manifest", 3),
          Map.entry("dev.quarry.store", 4),
          Map.entry("dev.quarry.embed.remote", 4),
          Map.entry("dev.quarry.serve", 4),
          Map.entry("dev.quarry.cache", 4),
          Map.entry("dev.quarry.search.fusion", 4),
          Map.entry("dev.quarry.index", 5),
          Map.entry("dev.quarry.check", 6),
          Map.entry("dev.quarry.search", 5),
          Map.entry("dev.quarry.pipeline", 6),
          Map.entry("dev.quarry.watch", 7),
          Map.entry("dev.quarry", 7),
          Map.entry("dev.quarry.config", 7),
          Map.entry("dev.quarry.server", 8));

  // dev.quarry.eval and dev.quarry.bench live in quarry-bench, on top of the library: a package
  // of either here has no stage and fails this test.

  private static final Pattern IMPORT =
      Pattern.compile(
          "^import (?:static )?(dev\\.quarry(?:\\.[a-z]+)*)\\.[A-Z]", Pattern.MULTILINE);

  @Test
  void packagesDependOneWayAlongThePipeline() throws IOException {
    Path sources = Path.of("src/main/java/dev/quarry");
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String pkg = "dev.quarry" + packageSuffix(sources.relativize(file.getParent()));
        Integer own = STAGE.get(pkg);
        assertThat(own).as("package %s has no stage in LayeringTest", pkg).isNotNull();
        Matcher m = IMPORT.matcher(Files.readString(file));
        while (m.find()) {
          String imported = m.group(1);
          Integer other = STAGE.get(imported);
          if (!imported.equals(pkg) && (other == null || other >= own)) {
            violations.add(file.getFileName() + " (" + pkg + ") imports " + imported);
          }
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  private static String packageSuffix(Path relative) {
    String s = relative.toString().replace('/', '.');
    return s.isEmpty() ? "" : "." + s;
  }
}
