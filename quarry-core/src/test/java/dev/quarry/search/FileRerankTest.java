package dev.quarry.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.Quarry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file's later chunks and test files give way to other files, over a real index on disk. */
class FileRerankTest {
  @TempDir static Path tree;
  static Path index;

  @BeforeAll
  static void indexTree() throws Exception {
    // herons.md: three sections, each all about herons (three strong chunks); marsh.md: herons
    // once, among other birds (one weaker chunk).
    StringBuilder herons = new StringBuilder();
    for (String section : List.of("Wading", "Nesting", "Hunting")) {
      herons.append("# ").append(section).append("\n\n");
      herons.append("The heron stands still. Herons wait; a heron strikes. Heron, heron.\n\n");
      herons.append("filler words ".repeat(120)).append("\n\n");
    }
    Files.writeString(tree.resolve("herons.md"), herons);
    Files.writeString(
        tree.resolve("marsh.md"), "# Marsh\n\nCoots, rails, grebes and a heron live here.\n");
    // The code and its test: the test repeats the code's names (and more often).
    Files.createDirectories(tree.resolve("src/test"));
    Files.writeString(
        tree.resolve("Kestrel.java"),
        "class Kestrel {\n  void hover() { /* kestrel hover */ }\n}\n");
    Files.writeString(
        tree.resolve("src/test/KestrelTest.java"),
        "class KestrelTest {\n  void hover() { new Kestrel().hover(); /* kestrel hover hover */ }"
            + "\n  void kestrel() { hover(); }\n}\n");
    // A router used in two files and defined in a third, which names it least.
    Files.writeString(
        tree.resolve("app.go"),
        "package app\n\nfunc serve() {\n\tr := NewRouter()\n\tvar x Router = r // Router Router\n"
            + "\tuse(x) // Router\n}\n");
    Files.writeString(
        tree.resolve("main.go"),
        "package main\n\nfunc main() {\n\t// the Router, the Router and the Router\n\tstart()\n}\n");
    Files.writeString(
        tree.resolve("mux.go"),
        "package mux\n\n// Matches requests.\ntype Router struct {\n\troutes []route\n}\n");
    index = LexicalIndexes.index(tree);
  }

  private static List<String> files(double decay) throws Exception {
    return files("heron", decay, 1.0);
  }

  @Test
  void aQueryNamingASymbolFindsItsDefinitionFirst() throws Exception {
    assertThat(files("Router", 1.0, 1.0, 0)).first().isNotEqualTo("mux.go");
    assertThat(files("Router", 1.0, 1.0, 0.5)).first().isEqualTo("mux.go");
    // In a sentence too, when the name looks like code; a plain word is not taken for one.
    assertThat(files("where the Router struct is declared", 1.0, 1.0, 0.5))
        .first()
        .isEqualTo("mux.go");
  }

  private static List<String> files(String query, double decay, double testWeight)
      throws Exception {
    return files(query, decay, testWeight, 0);
  }

  private static List<String> files(
      String query, double decay, double testWeight, double definitionBoost) throws Exception {
    Ranking d = Ranking.defaults();
    Ranking ranking =
        new Ranking(
            d.k1(),
            d.b(),
            d.contextBoost(),
            d.pathBoost(),
            d.rrfK(),
            d.fusion(),
            d.fusionWeights(),
            d.hybridCandidates(),
            decay,
            testWeight,
            definitionBoost);
    try (Quarry.SearchSession session =
        Quarry.search(index).withModel(false).ranking(ranking).open()) {
      return session.searcher().search(SearchRequest.of(query, 4, SearchMode.LEXICAL)).stream()
          .map(hit -> Path.of(hit.path()).getFileName().toString())
          .toList();
    }
  }

  @Test
  void withoutTheDecayOneFileFillsTheTopAndWithItTheNextFileComesSooner() throws Exception {
    assertThat(files(1.0)).containsExactly("herons.md", "herons.md", "herons.md", "marsh.md");
    List<String> decayed = files(0.1);
    assertThat(decayed).hasSize(4).startsWith("herons.md", "marsh.md");
    assertThat(decayed).filteredOn("herons.md"::equals).hasSize(3); // demoted, not dropped
  }

  @Test
  void aTestFileGivesWayToTheCodeItTestsUnlessTheQueryAsksAboutTests() throws Exception {
    assertThat(files("kestrel hover", 1.0, 1.0)).startsWith("KestrelTest.java");
    assertThat(files("kestrel hover", 1.0, 0.3)).startsWith("Kestrel.java");
    assertThat(files("kestrel hover test", 1.0, 0.3)).startsWith("KestrelTest.java");
  }

  @Test
  void testPathsAreTold() {
    for (String test :
        List.of(
            "src/test/java/a/B.java",
            "tests/test_io.py",
            "pkg/io_test.go",
            "lib/FooTest.java",
            "lib/FooTests.cs",
            "web/app.test.ts",
            "web/app.spec.js",
            "a/__tests__/x.js",
            "test_main.py")) {
      assertThat(FileRerank.looksLikeTest(test)).as(test).isTrue();
    }
    for (String code :
        List.of("src/main/java/a/B.java", "io.py", "pkg/io.go", "lib/Contest.java", "latest.md")) {
      assertThat(FileRerank.looksLikeTest(code)).as(code).isFalse();
    }
  }
}
