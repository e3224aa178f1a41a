package dev.quarry.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A training run for the JVM's ahead-of-time cache (JDK 25+, {@code -XX:AOTCacheOutput}): runs the
 * everyday commands once on a small generated tree, so the cache holds the classes they load and
 * link, and later starts skip that work. The {@code ./quarry} launcher runs it after each build; it
 * is not a user command.
 */
public final class AotTraining {
  private AotTraining() {}

  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("quarry-aot-training");
    PrintWriter silent = new PrintWriter(Writer.nullWriter());
    // As in QuarryCli.main: Lucene's INFO line on start is noise (held here while the commands
    // run).
    java.util.logging.Logger lucene = java.util.logging.Logger.getLogger("org.apache.lucene");
    lucene.setLevel(java.util.logging.Level.WARNING);
    try {
      Path tree = Files.createDirectories(dir.resolve("tree"));
      Files.writeString(
          tree.resolve("Quarry.java"),
          "/** A quarry. */\nclass Quarry {\n  int stoneCount() { return 42; }\n}\n");
      Files.writeString(
          tree.resolve("README.md"),
          "# Quarry\n\nCut stone from the quarry.\n\n## Blocks\n\nLarge blocks.\n");
      Files.writeString(tree.resolve("notes.txt"), "stones and rivers\n".repeat(200));
      Files.writeString(tree.resolve(".gitignore"), "*.log\n");
      // Enough files that the walk and change detection run hot: the cache keeps their method
      // profiles (JDK 25), so a real run compiles them early instead of interpreting at first.
      for (int d = 0; d < 40; d++) {
        Path sub = Files.createDirectories(tree.resolve("module" + d).resolve("src"));
        Files.writeString(sub.getParent().resolve(".gitignore"), "build/\n*.tmp\n");
        for (int f = 0; f < 100; f++) {
          Files.writeString(
              sub.resolve("File" + f + (f % 3 == 0 ? ".md" : ".java")),
              "class File" + f + " { int stone" + d + "() { return " + f + "; } }\n");
        }
      }
      String index = tree.resolve(".quarry").toString();
      QuarryCli.execute(silent, silent, "index", tree.toString(), "--no-embed", "-q");
      Files.writeString(tree.resolve("notes.txt"), "stones, rivers and lakes\n".repeat(150));
      QuarryCli.execute(silent, silent, "index", tree.toString(), "--no-embed", "-q");
      for (int i = 0; i < 5; i++) {
        QuarryCli.execute(silent, silent, "index", tree.toString(), "--no-embed", "-q");
      }
      QuarryCli.execute(silent, silent, "index", tree.toString(), "--no-embed", "--json");
      QuarryCli.execute(
          silent, silent, "search", "stone count", "--mode", "lexical", "--index", index);
      QuarryCli.execute(
          silent,
          silent,
          "search",
          "quarry blocks",
          "--mode",
          "lexical",
          "--json",
          "--index",
          index);
      QuarryCli.execute(silent, silent, "status", "--index", index);
      QuarryCli.execute(silent, silent, "runs", "--last", "--index", index);
    } finally {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
