package dev.quarry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.changes.ChangeRequest;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.scan.ScanOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run given a RunProgress shows there while it runs, counted from its own events, and only then.
 */
class RunProgressTest {
  @TempDir Path tree;
  @TempDir Path indexDir;

  @Test
  void showsTheRunWhileItRunsWithWhatTheWalkFoundAndWhatIsDone() throws Exception {
    Files.writeString(tree.resolve("a.md"), "# Alpha\n\nrivers carry stones downstream\n");
    Files.writeString(tree.resolve("b.txt"), "quarry stone is cut in blocks\n");
    Files.writeString(tree.resolve("c.txt"), "blocks are moved on rollers\n");
    IndexOptions options =
        IndexOptions.of(
                List.of(tree), indexDir, ScanOptions.defaults(), false, EmbeddingModels.DEFAULT)
            .withWorkers(1);
    RunProgress progress = new RunProgress();
    Queue<RunProgress.Snapshot> atOutcomes = new ConcurrentLinkedQueue<>();
    Queue<RunProgress.Snapshot> atWalkEnd = new ConcurrentLinkedQueue<>();
    RunListener looking =
        new RunListener() {
          @Override
          public void onOutcome(FileOutcome outcome) {
            atOutcomes.add(progress.current().orElseThrow());
          }

          @Override
          public void onWalkEnded() {
            atWalkEnd.add(progress.current().orElseThrow());
          }
        };
    assertThat(progress.current()).isEmpty();

    RunSummary summary = RunAssembler.of(options).listener(looking).progress(progress).index();

    assertThat(progress.current()).as("shown only while it runs").isEmpty();
    assertThat(atWalkEnd)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.walkEnded()).isTrue();
              assertThat(s.filesFound()).isEqualTo(3);
            });
    assertThat(atOutcomes)
        .hasSize(3)
        .allSatisfy(
            s -> {
              assertThat(s.kind()).isEqualTo("index");
              assertThat(s.startedAt()).isNotNull();
              assertThat(s.elapsedSeconds()).isNotNegative();
              assertThat(s.filesDone())
                  .isBetween(1L, s.filesFound()); // counted before it is handed on
            });
    RunProgress.Snapshot last =
        atOutcomes.stream().max((x, y) -> Long.compare(x.filesDone(), y.filesDone())).orElseThrow();
    assertThat(last.filesDone()).isEqualTo(3);
    assertThat(last.indexed()).isEqualTo(3);
    assertThat(last.chunksWritten()).isEqualTo(summary.chunksWritten());

    atOutcomes.clear();
    Files.writeString(tree.resolve("b.txt"), "quarry stone is cut in large blocks\n");
    RunAssembler.of(options)
        .listener(looking)
        .progress(progress)
        .sync(
            List.<ChangeRequest>of(
                    new ChangeRequest.PathChange("test", tree.resolve("b.txt").toString()))
                .iterator());

    assertThat(atOutcomes)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.kind()).isEqualTo("sync");
              assertThat(s.filesFound()).isEqualTo(1);
              assertThat(s.indexed()).isEqualTo(1);
            });
    assertThat(progress.current()).isEmpty();
  }
}
