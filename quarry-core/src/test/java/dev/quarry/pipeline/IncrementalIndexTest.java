package dev.quarry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.search.SearchMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Add, modify, touch, delete, rename: exactly which files are re-read and which chunks re-embedded.
 */
class IncrementalIndexTest {
  @TempDir Path tree;
  @TempDir Path indexDir;
  PipelineFixture fixture;

  /** Files the pipeline read, in order (the reader seam records them). */
  final List<String> reads = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void setUp() throws Exception {
    fixture = new PipelineFixture(tree, indexDir);
    fixture.reader =
        (file, limit) -> {
          reads.add(file.relativePath());
          try (var in = Files.newInputStream(file.path())) {
            return in.readNBytes((int) limit);
          }
        };
    write(
        "a.md",
        "# Alpha\n\nThe alpha document talks about rivers and lakes.\n\n## More\n\nMountains too.\n");
    write("b.txt", "Bravo text about compilers and parsers.\n");
    write("c.java", "class Charlie { void run() { System.out.println(\"charlie\"); } }\n");
  }

  private void write(String path, String content) throws Exception {
    Files.writeString(tree.resolve(path), content);
  }

  private PipelineFixture.Result run() throws Exception {
    reads.clear();
    return fixture.run();
  }

  @Test
  void secondRunReadsNothingAndEmbedsNothing() throws Exception {
    PipelineFixture.Result first = run();
    assertThat(first.paths(FileOutcome.Indexed.class)).containsExactly("a.md", "b.txt", "c.java");
    assertThat(reads).containsExactlyInAnyOrder("a.md", "b.txt", "c.java");

    PipelineFixture.Result second = run();
    assertThat(second.paths(FileOutcome.Unchanged.class))
        .containsExactly("a.md", "b.txt", "c.java");
    assertThat(reads).isEmpty();
    assertThat(fixture.model.embedded).isEmpty();
    assertThat(second.summary().chunksInIndex()).isEqualTo(first.summary().chunksInIndex());
  }

  @Test
  void modifiedFileReembedsOnlyItsChangedChunks() throws Exception {
    run();
    write(
        "a.md",
        "# Alpha\n\nThe alpha document talks about rivers and lakes.\n\n## More\n\nDeserts now.\n");
    PipelineFixture.Result r = run();
    assertThat(r.paths(FileOutcome.Indexed.class)).containsExactly("a.md");
    assertThat(reads).containsExactly("a.md");
    // The first section is unchanged, so its vector is reused; only the edited section is embedded.
    assertThat(fixture.model.embedded).containsExactly("Alpha > More\n## More\n\nDeserts now.");
    FileOutcome.Indexed a = r.of(FileOutcome.Indexed.class).get(0);
    assertThat(a.embedded()).isEqualTo(1);
    assertThat(a.reused()).isEqualTo(1);
    assertThat(fixture.paths(fixture.search("deserts", SearchMode.LEXICAL, 5)))
        .containsExactly("a.md");
    assertThat(fixture.search("mountains", SearchMode.LEXICAL, 5)).isEmpty();
  }

  @Test
  void touchedFileIsHashedButNotReindexed() throws Exception {
    run();
    Path b = tree.resolve("b.txt");
    Files.setLastModifiedTime(
        b, FileTime.fromMillis(Files.getLastModifiedTime(b).toMillis() + 5_000));
    PipelineFixture.Result r = run();
    assertThat(reads).containsExactly("b.txt");
    assertThat(r.of(FileOutcome.Unchanged.class))
        .contains(new FileOutcome.Unchanged("b.txt", true));
    assertThat(fixture.model.embedded).isEmpty();
    // The manifest took the new mtime: the next run does not even read it.
    run();
    assertThat(reads).isEmpty();
  }

  @Test
  void deletedFileDisappearsFromTheIndex() throws Exception {
    run();
    Files.delete(tree.resolve("b.txt"));
    PipelineFixture.Result r = run();
    assertThat(r.paths(FileOutcome.Deleted.class)).containsExactly("b.txt");
    assertThat(reads).isEmpty();
    assertThat(fixture.search("compilers", SearchMode.LEXICAL, 5)).isEmpty();
  }

  @Test
  void fileThatGrowsPastTheCapIsSkippedOnceAndLeavesTheIndex() throws Exception {
    fixture.scan = fixture.scan.withMaxFileSize(200);
    run();
    write("b.txt", "Bravo text about compilers and parsers.\n" + "padding ".repeat(40));
    PipelineFixture.Result r = run();
    assertThat(r.outcomes())
        .filteredOn(o -> o.path().equals("b.txt"))
        .containsExactly(new FileOutcome.Skipped("b.txt", dev.quarry.scan.SkipReason.TOO_LARGE));
    assertThat(fixture.search("compilers", SearchMode.LEXICAL, 5)).isEmpty();
  }

  @Test
  void renamedFileIsNotReembedded() throws Exception {
    run();
    Files.move(tree.resolve("c.java"), tree.resolve("Renamed.java"));
    PipelineFixture.Result r = run();
    assertThat(r.paths(FileOutcome.Deleted.class)).containsExactly("c.java");
    assertThat(r.paths(FileOutcome.Indexed.class)).containsExactly("Renamed.java");
    assertThat(fixture.model.embedded).isEmpty();
    assertThat(r.of(FileOutcome.Indexed.class).get(0).reused()).isEqualTo(1);
    assertThat(fixture.paths(fixture.search("charlie", SearchMode.SEMANTIC, 1)))
        .containsExactly("Renamed.java");
  }

  @Test
  void copiedFileIsNotReembedded() throws Exception {
    run();
    Files.copy(tree.resolve("b.txt"), tree.resolve("b-copy.txt"));
    PipelineFixture.Result r = run();
    assertThat(r.paths(FileOutcome.Indexed.class)).containsExactly("b-copy.txt");
    assertThat(fixture.model.embedded).isEmpty();
    assertThat(fixture.paths(fixture.search("compilers", SearchMode.LEXICAL, 5)))
        .containsExactlyInAnyOrder("b.txt", "b-copy.txt");
  }

  @Test
  void lexicalOnlyRunThenEmbeddingRunAddsVectors() throws Exception {
    fixture.embed = false;
    PipelineFixture.Result lexical = run();
    assertThat(lexical.summary().chunksEmbedded()).isZero();
    assertThat(fixture.model.embedded).isEmpty();
    fixture.embed = true;
    PipelineFixture.Result semantic = run();
    assertThat(semantic.paths(FileOutcome.Indexed.class))
        .containsExactly("a.md", "b.txt", "c.java");
    assertThat(semantic.summary().chunksEmbedded()).isEqualTo(4);
  }

  @Test
  void staleHitsAreFlagged() throws Exception {
    run();
    write("b.txt", "Bravo text about compilers, edited after indexing.\n");
    assertThat(fixture.search("compilers", SearchMode.LEXICAL, 5))
        .singleElement()
        .satisfies(h -> assertThat(h.stale()).isTrue());
    assertThat(fixture.search("alpha", SearchMode.LEXICAL, 5))
        .allSatisfy(h -> assertThat(h.stale()).isFalse());
  }
}
