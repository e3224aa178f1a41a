package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.Quarry;
import dev.quarry.pipeline.RunReport;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input against a real {@code quarry} process with the launcher's heap (256 MiB): what must
 * hold whatever a tree contains. Tagged {@code hostile}, with the other cases of issue 11.
 */
class HostileInputTest {
  private static final int MIB = 1 << 20;

  @TempDir Path work;

  // Issue 11, item 1: one 50 MB file (one line, or an ordinary log) made every run die of
  // OutOfMemoryError in the tokenizer, and the next run died the same way.
  @Test
  @Tag("hostile")
  @Tag("slow")
  void filesAsLargeAsTheCapAllowsAreIndexedInTheLaunchersHeap() throws Exception {
    Path tree = Files.createDirectories(work.resolve("tree"));
    Files.writeString(tree.resolve("one-line.txt"), "y".repeat(34 * MIB));
    writeLog(tree.resolve("app.log"), 34 * MIB);
    Files.writeString(tree.resolve("ok.txt"), "a small file beside them\n");
    Path index = work.resolve("index");

    QuarryProcess run =
        QuarryProcess.start(
            work,
            "index",
            tree.toString(),
            "--index",
            index.toString(),
            "--no-embed",
            "--max-file-size",
            "36MiB",
            "--workers",
            "2",
            "--cache-dir",
            "off",
            "-q");

    assertThat(run.waitFor(300)).as(run.output()).isZero();
    RunReport report = Quarry.runs(index).getLast();
    assertThat(report.files().indexed()).as(run.output()).isEqualTo(3);
    assertThat(report.files().failed()).isZero();
    assertThat(report.chunks().total()).isGreaterThan(50_000);
  }

  // Issue 11, item 1: a cap the heap cannot honour is refused before the run, naming the heap.
  @Test
  @Tag("hostile")
  void aSizeCapTheHeapCannotHonourIsRefusedSayingWhatItNeeds() throws Exception {
    Path tree = Files.createDirectories(work.resolve("tree"));
    Files.writeString(tree.resolve("a.txt"), "text\n");

    QuarryProcess run =
        QuarryProcess.start(
            work, "index", tree.toString(), "--no-embed", "--max-file-size", "64MiB", "-q");

    assertThat(run.waitFor(60)).as(run.output()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.output())
        .contains("max-file-size: 64 MiB files need about 400 MiB of heap")
        .contains("QUARRY_HEAP=448m");
    assertThat(tree.resolve(".quarry")).doesNotExist();
  }

  /** An ordinary application log of about {@code bytes} bytes. */
  private static void writeLog(Path file, long bytes) throws IOException {
    Random random = new Random(11);
    List<String> words =
        List.of("request", "served", "cache", "miss", "user", "retry", "timeout", "upstream");
    long written = 0;
    try (Writer out =
        new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
      for (int i = 0; written < bytes; i++) {
        StringBuilder line =
            new StringBuilder("2026-12-02T10:")
                .append(i % 60)
                .append(":00 INFO [worker-")
                .append(i % 8)
                .append("]");
        for (int w = 0; w < 12; w++) {
          line.append(' ')
              .append(words.get(random.nextInt(words.size())))
              .append(random.nextInt(999));
        }
        line.append(" id=").append(i).append('\n');
        out.write(line.toString());
        written += line.length();
      }
    }
  }
}
