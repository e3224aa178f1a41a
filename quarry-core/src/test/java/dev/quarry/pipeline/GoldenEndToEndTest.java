package dev.quarry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.search.SearchHit;
import dev.quarry.search.SearchMode;
import dev.quarry.search.SearchRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny corpus through the whole pipeline (real scan, extraction, chunking, ONNX embeddings,
 * Lucene index on disk) and back out through search, with exact lexical rankings.
 */
class GoldenEndToEndTest {
  @TempDir static Path tree;
  static PipelineFixture fixture;
  static PipelineFixture.Result firstRun;

  @BeforeAll
  static void indexCorpus() throws Exception {
    write(
        "src/main/java/app/UserRepository.java",
        """
        package app;

        /** Stores users and finds them by email address. */
        public final class UserRepository {
          public Optional<User> findUserByEmail(String email) {
            return users.stream().filter(u -> u.email().equals(email)).findFirst();
          }
        }
        """);
    write(
        "src/config_parser.py",
        """
        def parse_config_file(path):
            \"\"\"Read a TOML config file and return a dict of settings.\"\"\"
            with open(path) as handle:
                return toml.load(handle)
        """);
    write(
        "docs/guide.md",
        """
        # Guide

        ## Installation

        Install the package with apt, then start the service with systemctl.

        ## Troubleshooting

        If the service does not start, read the log file under /var/log.
        """);
    write(
        "notes/cooking.txt",
        """
        Whisk two eggs with a cup of flour and a pinch of salt.
        Bake the cake for forty minutes until golden.
        """);
    write(".gitignore", "build/\n");
    write("build/generated.java", "class Generated { /* parse config file */ }\n");
    fixture = new PipelineFixture(tree, tree.resolve(".quarry"));
    firstRun = fixture.run();
  }

  private static void write(String path, String content) throws Exception {
    Path file = tree.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  @Test
  void everyFileGetsAnOutcomeAndIgnoredFilesNone() {
    assertThat(firstRun.paths(FileOutcome.Indexed.class))
        .containsExactly(
            ".gitignore",
            "docs/guide.md",
            "notes/cooking.txt",
            "src/config_parser.py",
            "src/main/java/app/UserRepository.java");
    assertThat(firstRun.outcomes()).hasSize(5);
    assertThat(firstRun.summary().filesIndexed()).isEqualTo(5);
    assertThat(firstRun.summary().chunksEmbedded()).isEqualTo(firstRun.summary().chunksWritten());
  }

  @Test
  void lexicalRankingIsExact() throws Exception {
    assertThat(fixture.paths(fixture.search("parse config file", SearchMode.LEXICAL, 10)))
        .containsExactly("src/config_parser.py", "docs/guide.md");
    assertThat(fixture.paths(fixture.search("findUserByEmail", SearchMode.LEXICAL, 10)))
        .containsExactly("src/main/java/app/UserRepository.java");
    // camelCase parts match on their own.
    assertThat(fixture.paths(fixture.search("email user", SearchMode.LEXICAL, 10)))
        .containsExactly("src/main/java/app/UserRepository.java");
    // Both sections of the guide mention the service: two hits, one per section.
    assertThat(fixture.search("service", SearchMode.LEXICAL, 10))
        .extracting(SearchHit::path, SearchHit::context)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("docs/guide.md", "Guide > Installation"),
            org.assertj.core.groups.Tuple.tuple("docs/guide.md", "Guide > Troubleshooting"));
  }

  @Test
  void markdownSectionsAreSeparateHitsWithLineRanges() throws Exception {
    List<SearchHit> hits = fixture.search("systemctl", SearchMode.LEXICAL, 10);
    assertThat(hits)
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.path()).isEqualTo("docs/guide.md");
              assertThat(h.context()).isEqualTo("Guide > Installation");
              assertThat(h.startLine()).isEqualTo(1);
              assertThat(h.endLine()).isEqualTo(5);
              assertThat(h.stale()).isFalse();
              assertThat(h.snippet())
                  .anySatisfy(
                      l -> {
                        assertThat(l.number()).isEqualTo(5);
                        assertThat(l.matches()).isNotEmpty();
                      });
            });
  }

  @Test
  void semanticSearchFindsAParaphrase() throws Exception {
    List<SearchHit> hits = fixture.search("how to bake a dessert", SearchMode.SEMANTIC, 3);
    assertThat(hits.get(0).path()).isEqualTo("notes/cooking.txt");
    List<SearchHit> lookup =
        fixture.search("look up an account by its mail", SearchMode.SEMANTIC, 3);
    assertThat(lookup.get(0).path()).isEqualTo("src/main/java/app/UserRepository.java");
  }

  @Test
  void hybridCombinesBothLists() throws Exception {
    List<SearchHit> hits =
        fixture.search("reading settings from a configuration file", SearchMode.HYBRID, 3);
    assertThat(hits.get(0).path()).isEqualTo("src/config_parser.py");
  }

  @Test
  void filtersRestrictByPathGlobAndLanguage() throws Exception {
    SearchRequest onlyDocs =
        new SearchRequest("file", 10, SearchMode.HYBRID, Optional.of("docs/**"), Optional.empty());
    assertThat(fixture.paths(fixture.search(onlyDocs))).containsOnly("docs/guide.md");
    SearchRequest onlyPython =
        new SearchRequest("file", 10, SearchMode.LEXICAL, Optional.empty(), Optional.of("python"));
    assertThat(fixture.paths(fixture.search(onlyPython))).containsExactly("src/config_parser.py");
    SearchRequest byName =
        new SearchRequest("file", 10, SearchMode.LEXICAL, Optional.of("*.py"), Optional.empty());
    assertThat(fixture.paths(fixture.search(byName))).containsExactly("src/config_parser.py");
  }
}
