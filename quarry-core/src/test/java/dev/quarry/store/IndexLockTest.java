package dev.quarry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.check.IndexChecker;
import dev.quarry.index.QuarryIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.junit.jupiter.api.Tag;
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

  /** A holder whose process has ended: {@code kind} 12 of a dead run, or a dead check. */
  private static IndexLock.Holder dead(long runId, String kind) throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    return new IndexLock.Holder(
        gone.pid(),
        Instant.now().minusSeconds(5),
        IndexLock.hostName(),
        runId,
        kind,
        "quarry " + kind,
        Instant.parse("2026-11-23T10:00:00Z"));
  }

  @Test
  @Tag("hostile")
  void aCheckOrRepairLeavesADeadRunsRecordForTheNextRun() throws Exception {
    // Issue 11, item 13: check and repair took the lock over a killed run's record and erased it.
    QuarryIndex.openForWriting(dir).close(); // an empty index
    IndexLock.Holder killed = dead(12, "sync");
    Files.write(dir.resolve(IndexLock.FILE_NAME), killed.toBytes());

    try (IndexLock check = IndexLock.acquire(dir, IndexLock.Holder.current(0, "check"))) {
      // While the check holds the lock, the dead run is still the one on record, and a writer
      // is told the check is in its way.
      assertThat(IndexLock.lastHolder(dir)).contains(killed);
      assertThat(IndexLock.liveHolder(dir)).isEmpty();
      assertThatThrownBy(() -> QuarryIndex.openForWriting(dir, "index", d -> d))
          .isInstanceOf(IndexLockedException.class)
          .hasMessageContaining("pid " + ProcessHandle.current().pid())
          .hasMessageContaining("(check)");
      assertThat(check.previousHolder()).contains(killed);
    }
    assertThat(IndexLock.lastHolder(dir)).contains(killed);

    IndexChecker.check(dir, IndexChecker.Depth.CHECKSUMS);
    assertThat(IndexLock.lastHolder(dir)).contains(killed);
    IndexChecker.repair(dir);
    assertThat(IndexLock.lastHolder(dir)).contains(killed);

    try (QuarryIndex next = QuarryIndex.openForWriting(dir, "index", d -> d)) {
      assertThat(next.lock().previousHolder()).contains(killed);
    }
    assertThat(IndexLock.lastHolder(dir)).isEmpty();
  }

  @Test
  @Tag("hostile")
  void aCheckKilledHoldingTheLockIsNoRunAndHidesNone() throws Exception {
    // Issue 11, item 13: a check is not a run; killed, it leaves a dead run's record as it was.
    IndexLock.Holder killed = dead(12, "index");
    Files.write(dir.resolve(IndexLock.FILE_NAME), killed.toBytes());
    IndexLock.Holder check = dead(0, "check");
    // What a check killed with its lock taken leaves: the run's record and its own.
    IndexLock taken = IndexLock.acquire(dir, check);
    taken.keepNameOnClose();
    taken.close();
    assertThat(IndexLock.lastHolder(dir)).contains(killed);

    // A second check replaces the dead check's part, not the run's.
    IndexLock again = IndexLock.acquire(dir, IndexLock.Holder.current(0, "check"));
    assertThat(IndexLock.lastHolder(dir)).contains(killed);
    again.close();
    assertThat(IndexLock.lastHolder(dir)).contains(killed);
    try (QuarryIndex next = QuarryIndex.openForWriting(dir, "index", d -> d)) {
      assertThat(next.lock().previousHolder()).contains(killed);
    }

    // Alone, a dead check's record is nobody's run.
    Files.write(dir.resolve(IndexLock.FILE_NAME), new byte[0]);
    IndexLock alone = IndexLock.acquire(dir, check);
    alone.keepNameOnClose();
    alone.close();
    assertThat(IndexLock.lastHolder(dir)).isEmpty();
    try (QuarryIndex next = QuarryIndex.openForWriting(dir, "index", d -> d)) {
      assertThat(next.lock().previousHolder()).isEmpty();
    }
  }
}
