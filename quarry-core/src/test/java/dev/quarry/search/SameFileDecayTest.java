package dev.quarry.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.Quarry;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.pipeline.RunAssembler;
import dev.quarry.scan.ScanOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file's later chunks give way to other files, over a real index on disk. */
class SameFileDecayTest {
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
    index = tree.resolve(".quarry");
    RunAssembler.of(
            IndexOptions.of(
                List.of(tree),
                index,
                ScanOptions.defaults().withExcludedDirectory(index),
                false,
                EmbeddingModels.DEFAULT))
        .index();
  }

  private static List<String> files(double decay) throws Exception {
    Ranking d = Ranking.defaults();
    Ranking ranking =
        new Ranking(
            d.k1(),
            d.b(),
            d.contextBoost(),
            d.pathBoost(),
            d.rrfK(),
            d.lexicalWeight(),
            d.semanticWeight(),
            d.hybridCandidates(),
            decay);
    try (Quarry.SearchSession session =
        Quarry.search(index).withModel(false).ranking(ranking).open()) {
      return session.searcher().search(SearchRequest.of("heron", 4, SearchMode.LEXICAL)).stream()
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
  void theDefaultDecaysByHalf() {
    assertThat(Ranking.defaults().sameFileDecay()).isEqualTo(0.5);
  }
}
