package dev.quarry.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.chunk.Chunk;
import dev.quarry.embed.EmbeddedChunk;
import dev.quarry.manifest.ManifestEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A background merge that meets a full disk: Lucene's merge thread must not print its thirty-line
 * trace into the run's output. The writer closes on it, and the run names it as its cause through
 * {@link QuarryIndex#writeFailure()}.
 */
class MergeFailureTest {
  private static final String DISK_FULL = "No space left on device";

  @TempDir Path dir;
  private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
  private Thread.UncaughtExceptionHandler previous;

  /** A disk too full for any merge (flushes still fit). */
  static final class FullDisk extends FilterDirectory {
    final AtomicInteger failedMerges = new AtomicInteger();

    FullDisk(Directory in) {
      super(in);
    }

    @Override
    public IndexOutput createOutput(String name, IOContext context) throws IOException {
      if (context.context() == IOContext.Context.MERGE) {
        failedMerges.incrementAndGet();
        throw new IOException(DISK_FULL);
      }
      return super.createOutput(name, context);
    }
  }

  @BeforeEach
  void recordUncaughtExceptions() {
    // What a thread does not catch goes to this handler; without one, the JVM prints the trace.
    previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
  }

  @AfterEach
  void restore() {
    Thread.setDefaultUncaughtExceptionHandler(previous);
  }

  // Issue 11, also seen: on a full disk a 28-line MergeException trace was printed by Lucene's
  // merge
  // thread before the run's one-line failure.
  @Test
  @Tag("hostile")
  void aMergeOnAFullDiskPrintsNothingAndIsTheWritersFailure() throws Exception {
    FullDisk[] disk = new FullDisk[1];
    try (QuarryIndex index =
        QuarryIndex.openForWriting(dir.resolve("index"), "index", d -> disk[0] = new FullDisk(d))) {
      // Small commits, each a segment, until the merge policy merges some (bounded by count).
      // The failed merge closes the writer: the next write or commit may be the one that says so.
      try {
        for (int i = 0; i < 500 && disk[0].failedMerges.get() == 0; i++) {
          index.writeFile(entry(i), List.of(chunk(i)), true);
          index.commit(Map.of());
        }
      } catch (IllegalStateException e) {
        // "this writer hit an unrecoverable error", or "this IndexWriter is closed": either way the
        // writer's failure, asserted below, is what names the cause.
      }
      assertThat(disk[0].failedMerges.get()).as("a merge was attempted").isPositive();
      for (Thread merge : mergeThreads()) {
        merge.join(60_000); // it has failed; its end is what the test waits for, not a time
      }
      assertThat(index.writeFailure()).isInstanceOf(IOException.class).hasMessage(DISK_FULL);
    }
    assertThat(uncaught).isEmpty();
  }

  private static List<Thread> mergeThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("Lucene Merge Thread"))
        .toList();
  }

  private static ManifestEntry entry(int i) {
    return new ManifestEntry(
        "/t/f" + i + ".txt", "/t", "f" + i + ".txt", 10, 1000, "", "h" + i, 1, "text", "p", "m");
  }

  private static EmbeddedChunk chunk(int i) {
    return new EmbeddedChunk(
        new Chunk("f" + i + ".txt", "text", 0, 1, 1, 0, "", "rocket fuel number " + i, "c" + i),
        null);
  }
}
