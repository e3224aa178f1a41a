package dev.quarry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.index.QuarryIndex;
import dev.quarry.store.IndexLock;
import dev.quarry.store.IndexMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs are numbered and say how they ended: completed, interrupted (cancelled) or failed. */
class RunStatusTest {
  @TempDir Path root;
  @TempDir Path indexDir;

  @Test
  void idsCountUpAndEachRunSaysHowItEnded() throws Exception {
    for (int i = 0; i < 30; i++) {
      Files.writeString(
          root.resolve("f" + i + ".txt"), "file " + i + " about rockets and orbits\n");
    }
    PipelineFixture fixture = new PipelineFixture(root, indexDir);
    fixture.embed = false;
    RunSummary first = fixture.run().summary();
    assertThat(first.id()).isEqualTo(1);
    assertThat(first.status()).isEqualTo(RunStatus.COMPLETED);

    // A stage that dies (here: an Error out of a read) fails the run; the failure is recorded.
    Files.writeString(root.resolve("f0.txt"), "changed");
    fixture.reader =
        (file, limit) -> {
          throw new AssertionError("disk controller on fire");
        };
    assertThatThrownBy(fixture::run).hasMessageContaining("disk controller on fire");
    assertThat(IndexLock.lastHolder(indexDir))
        .as("a recorded failure releases the lock cleanly")
        .isEmpty();
    // A dead stage loses the batch it held: those files were not seen, and must not be deleted
    // as if gone (a race once let the indexer finish before the failure was recorded).
    try (QuarryIndex index = QuarryIndex.openForReading(indexDir)) {
      assertThat(index.stats().files()).isEqualTo(30);
    }

    fixture.reader = null;
    RunSummary third = fixture.run().summary();
    assertThat(third.id()).isEqualTo(3);
    assertThat(third.filesIndexed()).isEqualTo(1);

    List<String> history = new ArrayList<>();
    for (JsonNode run : runs()) {
      history.add(run.path("id").asLong() + " " + run.path("status").asText());
    }
    assertThat(history).containsExactly("3 completed", "2 failed", "1 completed");
    assertThat(runs().get(1).path("note").asText()).contains("disk controller on fire");
  }

  private List<JsonNode> runs() throws Exception {
    try (QuarryIndex index = QuarryIndex.openForReading(indexDir)) {
      List<JsonNode> out = new ArrayList<>();
      for (RunReport report :
          RunHistory.parse(index.commitData().get(IndexMetadata.RUNS)).reports()) {
        out.add(new ObjectMapper().readTree(report.toJson()));
      }
      return out;
    }
  }
}
