package dev.quarry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.search.SearchHit;
import dev.quarry.search.SearchMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Queries and trees people make without meaning harm: a pasted page of text as the query, files
 * reached through symbolic links. Real pipeline, real model, real index on disk.
 */
class HostileQueryTest {
  @TempDir static Path tree;
  @TempDir static Path outside;
  static PipelineFixture fixture;

  @BeforeAll
  static void indexCorpus() throws Exception {
    Files.createDirectories(tree.resolve("src"));
    Files.writeString(
        tree.resolve("src/Launcher.java"),
        "class Launcher {\n  // launches the rocket into orbit\n  void launchRocket() {}\n}\n");
    Files.writeString(tree.resolve("cake.txt"), "Whisk two eggs with flour and bake the cake.\n");
    // A file and a folder outside the tree, reached through links.
    Files.writeString(outside.resolve("linked.txt"), "nebula telescope observations\n");
    Files.createDirectories(outside.resolve("dir"));
    Files.writeString(outside.resolve("dir/inner.txt"), "quasar spectrum notes\n");
    Files.createSymbolicLink(tree.resolve("link.txt"), outside.resolve("linked.txt"));
    Files.createSymbolicLink(tree.resolve("linkdir"), outside.resolve("dir"));
    fixture = new PipelineFixture(tree, tree.resolve(".quarry"));
    fixture.scan = fixture.scan.withFollowSymlinks(true);
    fixture.run();
  }

  /**
   * A paragraph of 5,000 words, thousands of them distinct (a pasted document, a stack trace),
   * starting with the words that matter.
   */
  private static String pastedText() {
    Random random = new Random(11);
    StringBuilder text = new StringBuilder("rocket launch");
    for (int i = 0; i < 5_000; i++) {
      text.append(' ');
      for (int c = 0; c < 7; c++) {
        text.append((char) ('a' + random.nextInt(26)));
      }
    }
    return text.toString();
  }

  // Issue 11, item 11: more than 1,024 distinct words failed with 'maxClauseCount is set to 1024'.
  @Tag("hostile")
  @ParameterizedTest
  @EnumSource(SearchMode.class)
  void aPastedTextOfFiveThousandWordsIsAnsweredInEveryMode(SearchMode mode) throws Exception {
    List<SearchHit> hits = fixture.search(pastedText(), mode, 5);
    assertThat(hits).isNotEmpty();
    if (mode == SearchMode.LEXICAL) {
      assertThat(fixture.paths(hits)).first().isEqualTo("src/Launcher.java");
    }
  }

  // Issue 11, item 15: a file reached through a link was always stale (the link's own mtime).
  @Tag("hostile")
  @Test
  void filesReachedThroughLinksAreStaleOnlyWhenTheirTargetChanges() throws Exception {
    assertThat(hitFor("nebula").stale()).isFalse();
    assertThat(hitFor("quasar").stale()).isFalse();

    Path target = outside.resolve("linked.txt");
    Files.writeString(target, "nebula telescope observations, revised\n");
    Files.setLastModifiedTime(
        target, FileTime.fromMillis(Files.getLastModifiedTime(target).toMillis() + 5_000));
    assertThat(hitFor("nebula").stale()).isTrue();
    assertThat(hitFor("quasar").stale()).isFalse();
  }

  private static SearchHit hitFor(String word) throws Exception {
    List<SearchHit> hits = fixture.search(word, SearchMode.LEXICAL, 1);
    assertThat(hits).as(word).hasSize(1);
    return hits.get(0);
  }
}
