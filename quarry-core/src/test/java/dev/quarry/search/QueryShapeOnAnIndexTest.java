package dev.quarry.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.Quarry;
import dev.quarry.search.fusion.QueryShape;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a prose query's lexical candidates lie decides its shape, over a real index on disk: text
 * first and text around it, text first amid code (a project's docs), or code first.
 */
class QueryShapeOnAnIndexTest {
  @TempDir Path tree;

  private static final String QUERY = "how configuration files are parsed";

  /** Eight guides that answer the query, and twenty files that name one of its words once. */
  private QueryShape shapeWithOthersAs(String otherExtension) throws Exception {
    for (int i = 0; i < 8; i++) {
      Files.writeString(
          tree.resolve("guide" + i + ".md"),
          "# Guide "
              + i
              + "\n\nConfiguration files are parsed at start; each configuration file"
              + " is parsed once, and parsed configuration files are cached.\n");
    }
    for (int i = 0; i < 20; i++) {
      String name = "Part" + i;
      Files.writeString(
          tree.resolve(name + "." + otherExtension),
          otherExtension.equals("java")
              ? "class " + name + " {\n  int configuration = " + i + ";\n}\n"
              : "Part " + i + " keeps its configuration elsewhere, among other notes.\n");
    }
    return shapeOf(QUERY);
  }

  private QueryShape shapeOf(String query) throws Exception {
    Path index = LexicalIndexes.index(tree);
    try (Quarry.SearchSession session = Quarry.search(index).withModel(false).open()) {
      return session.searcher().shape(query);
    }
  }

  @Test
  void proseWhoseMatchesAreTextAmongTextIsProse() throws Exception {
    assertThat(shapeWithOthersAs("txt")).isEqualTo(QueryShape.PROSE);
  }

  @Test
  void proseWhoseBestMatchesAreTextAmongCodeIsProseAmidCode() throws Exception {
    assertThat(shapeWithOthersAs("java")).isEqualTo(QueryShape.PROSE_AMID_CODE);
  }

  @Test
  void proseWhoseBestMatchesAreCodeIsProseOverCode() throws Exception {
    for (int i = 0; i < 12; i++) {
      Files.writeString(
          tree.resolve("Parser" + i + ".java"),
          "/** Configuration files are parsed here. */\nclass Parser"
              + i
              + " {\n  Config parse(Path configurationFile) { return null; }\n}\n");
    }
    Files.writeString(tree.resolve("notes.md"), "# Notes\n\nThe configuration lives elsewhere.\n");
    assertThat(shapeOf(QUERY)).isEqualTo(QueryShape.PROSE_OVER_CODE);
  }

  @Test
  void aNameIsASymbolWhereverItsMatchesAre() throws Exception {
    assertThat(shapeWithOthersAs("java")).isEqualTo(QueryShape.PROSE_AMID_CODE);
    try (Quarry.SearchSession session =
        Quarry.search(tree.resolve(".quarry")).withModel(false).open()) {
      assertThat(session.searcher().shape("configuration")).isEqualTo(QueryShape.SYMBOL);
    }
  }
}
