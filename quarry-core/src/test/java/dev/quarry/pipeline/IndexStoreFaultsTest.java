package dev.quarry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.index.QuarryIndex;
import dev.quarry.search.SearchMode;
import dev.quarry.store.IndexMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index's own storage failing under a run: a disk that fills up during a commit, a directory
 * that turns read-only. The run must end with a clear error and the last commit intact, and a run
 * after the cause is gone must finish the job.
 */
class IndexStoreFaultsTest {
  @TempDir Path root;
  @TempDir Path indexDir;
  PipelineFixture fixture;

  /**
   * A store whose writes fail once armed, with the error a full disk or a read-only mount gives.
   */
  static final class FailingStore extends FilterDirectory {
    private final String error;
    private volatile boolean armed;

    FailingStore(Directory in, String error, boolean armed) {
      super(in);
      this.error = error;
      this.armed = armed;
    }

    @Override
    public IndexOutput createOutput(String name, IOContext context) throws IOException {
      fail();
      return super.createOutput(name, context);
    }

    @Override
    public void sync(java.util.Collection<String> names) throws IOException {
      fail();
      super.sync(names);
    }

    private void fail() throws IOException {
      if (armed) {
        throw new IOException(error);
      }
    }
  }

  @BeforeEach
  void firstCommit() throws Exception {
    fixture = new PipelineFixture(root, indexDir);
    fixture.embed = false;
    Files.writeString(root.resolve("kept.md"), "# Kept\n\nThe orbit of the first commit.\n");
    Files.writeString(root.resolve("changed.txt"), "first version about rockets\n");
    assertThat(fixture.run().summary().filesIndexed()).isEqualTo(2);
    Files.writeString(root.resolve("changed.txt"), "second version about engines\n");
    Files.writeString(root.resolve("new.txt"), "a new file about fuel\n");
    Files.delete(root.resolve("kept.md"));
  }

  @Test
  void diskFullDuringCommitEndsCleanlyAndKeepsTheLastCommit() throws Exception {
    Map<String, String> before = commitData();
    fixture.store = dir -> new FailingStore(dir, "No space left on device", true);
    assertThatThrownBy(fixture::run)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("No space left on device")
        .hasMessageContaining("the index keeps its last commit");
    assertLastCommitIsTheFirst(before);

    fixture.store = java.util.function.UnaryOperator.identity();
    RunSummary after = fixture.run().summary();
    assertThat(after.filesIndexed()).isEqualTo(2);
    assertThat(after.filesDeleted()).isEqualTo(1);
    assertThat(fixture.paths(fixture.search("engines", SearchMode.LEXICAL, 5)))
        .containsExactly("changed.txt");
    assertThat(fixture.search("orbit", SearchMode.LEXICAL, 5)).isEmpty();
    // The failed run could not even record itself: the lock kept its name, and this run recorded
    // it as interrupted before its own report.
    List<String> statuses =
        RunHistory.parse(commitData().get(IndexMetadata.RUNS)).reports().stream()
            .map(RunReport::toJson)
            .map(r -> r.replaceAll(".*\"status\":\"([a-z]+)\".*", "$1"))
            .toList();
    assertThat(statuses).containsExactly("completed", "interrupted", "completed");
  }

  @Test
  void readOnlyIndexDirectoryEndsCleanlyAndKeepsTheLastCommit() throws Exception {
    Map<String, String> before = commitData();
    fixture.store = dir -> new FailingStore(dir, indexDir + ": Read-only file system", true);
    assertThatThrownBy(fixture::run)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Read-only file system")
        .hasMessageContaining(indexDir.toString());
    assertLastCommitIsTheFirst(before);
  }

  private void assertLastCommitIsTheFirst(Map<String, String> before) throws IOException {
    assertThat(commitData()).isEqualTo(before);
    assertThat(fixture.paths(fixture.search("rockets", SearchMode.LEXICAL, 5)))
        .containsExactly("changed.txt");
    assertThat(fixture.paths(fixture.search("orbit", SearchMode.LEXICAL, 5)))
        .containsExactly("kept.md");
    assertThat(fixture.search("fuel", SearchMode.LEXICAL, 5)).isEmpty();
  }

  private Map<String, String> commitData() throws IOException {
    try (QuarryIndex index = QuarryIndex.openForReading(indexDir)) {
      return index.commitData();
    }
  }
}
