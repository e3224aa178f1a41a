package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.index.QuarryIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** While a run holds an index, another index or sync fails at once naming it; searches go on. */
class LockedIndexTest {
  @TempDir Path tree;

  @Test
  void aSecondWriterIsToldWhoHoldsTheIndexAndSearchesStillWork() throws Exception {
    Files.writeString(tree.resolve("a.txt"), "the comet passes by\n");
    assertThat(QuarryCliTest.quarry("index", tree.toString(), "--no-embed", "-q").exit()).isZero();
    Path index = tree.resolve(".quarry");
    try (QuarryIndex running = QuarryIndex.openForWriting(index, "index", d -> d)) {
      running.lock().update(running.lock().holder().withRun(9, "index"));

      QuarryCliTest.Run second = QuarryCliTest.quarry("index", tree.toString(), "--no-embed", "-q");
      assertThat(second.exit()).isEqualTo(4);
      assertThat(second.err())
          .contains("is being written by another Quarry run")
          .contains("pid " + ProcessHandle.current().pid())
          .contains("run 9");

      QuarryCliTest.Run sync =
          SyncCommandTest.quarryWithInput(
              "a.txt\n".getBytes(), "sync", "--stdin", "--index", index.toString());
      assertThat(sync.exit()).isEqualTo(4);
      assertThat(sync.err()).contains("run 9");

      QuarryCliTest.Run search =
          QuarryCliTest.quarry("search", "comet", "--index", index.toString(), "--mode", "lexical");
      assertThat(search.exit()).as(search.err()).isZero();
      assertThat(search.out()).contains("a.txt");

      QuarryCliTest.Run runs = QuarryCliTest.quarry("runs", "--index", index.toString());
      assertThat(runs.out()).containsPattern("\\s9 index running");
    }
  }
}
