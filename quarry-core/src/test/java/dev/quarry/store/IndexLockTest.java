package dev.quarry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.index.QuarryIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per index, named on its lock; a dead writer's lock is no obstacle; readers never wait.
 */
class IndexLockTest {
  @TempDir Path dir;

  @Test
  void aSecondWriterFailsAtOnceNamingTheHolder() throws Exception {
    try (QuarryIndex first = QuarryIndex.openForWriting(dir, "index", d -> d)) {
      first.lock().update(first.lock().holder().withRun(7, "index"));
      assertThatThrownBy(() -> QuarryIndex.openForWriting(dir, "sync", d -> d))
          .isInstanceOf(IndexLockedException.class)
          .hasMessageContaining("is being written by another Quarry run")
          .hasMessageContaining("pid " + ProcessHandle.current().pid())
          .hasMessageContaining("run 7 (index)");
      // Readers take no lock: a search works while the run holds it.
      try (QuarryIndex reader = QuarryIndex.openForReading(dir)) {
        var searcher = reader.acquireSearcher();
        assertThat(searcher.count(new MatchAllDocsQuery())).isZero();
        reader.releaseSearcher(searcher);
      }
      assertThat(IndexLock.liveHolder(dir)).get().extracting(IndexLock.Holder::runId).isEqualTo(7L);
    }
    // Released cleanly: nobody named, and the next writer gets in and finds no dead predecessor.
    assertThat(IndexLock.lastHolder(dir)).isEmpty();
    try (QuarryIndex next = QuarryIndex.openForWriting(dir)) {
      assertThat(next.lock().previousHolder()).isEmpty();
    }
  }

  @Test
  void aLockLeftByADeadProcessIsRecoveredAndItsRunReported() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    IndexLock.Holder dead =
        new IndexLock.Holder(
            gone.pid(),
            Instant.now().minusSeconds(5),
            IndexLock.hostName(),
            12,
            "sync",
            "quarry sync --stdin",
            Instant.parse("2026-11-23T10:00:00Z"));
    Files.createDirectories(dir);
    Files.write(dir.resolve(IndexLock.FILE_NAME), dead.toBytes());
    assertThat(dead.alive()).isFalse();
    assertThat(IndexLock.liveHolder(dir)).isEmpty();
    assertThat(IndexLock.lastHolder(dir)).contains(dead);

    try (QuarryIndex index = QuarryIndex.openForWriting(dir)) {
      assertThat(index.lock().previousHolder()).contains(dead);
      assertThat(IndexLock.liveHolder(dir))
          .get()
          .extracting(IndexLock.Holder::pid)
          .isEqualTo(ProcessHandle.current().pid());
    }
  }

  @Test
  void aTornLockFileNamesNobody() throws Exception {
    Files.write(dir.resolve(IndexLock.FILE_NAME), "pid=12\nprocessStart=not a time".getBytes());
    try (QuarryIndex index = QuarryIndex.openForWriting(dir)) {
      assertThat(index.lock().previousHolder()).isEmpty();
    }
  }
}
