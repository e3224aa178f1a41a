package dev.quarry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read tool's sandbox and ranges, on real files and links. */
class RootFilesTest {
  @TempDir Path tmp;
  private Path root;
  private RootFiles files;

  @BeforeEach
  void tree() throws Exception {
    root = Files.createDirectories(tmp.resolve("root"));
    Files.createDirectories(root.resolve("src"));
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 50; i++) {
      text.append("line ").append(i).append('\n');
    }
    Files.writeString(root.resolve("src/fifty.txt"), text);
    Files.writeString(tmp.resolve("outside.txt"), "secret\n");
    Files.createDirectories(root.resolve(".quarry"));
    Files.writeString(root.resolve(".quarry/segments_1"), "index\n");
    files = new RootFiles(() -> List.of(root), Optional.of(root.resolve(".quarry")));
  }

  @Test
  void readsARangeByRelativeOrAbsolutePath() throws Exception {
    RootFiles.Lines lines = files.read("src/fifty.txt", 10, 12, 10_000);
    assertThat(lines.lines()).containsExactly("line 10", "line 11", "line 12");
    assertThat(lines.shown()).isEqualTo("src/fifty.txt");
    assertThat(lines.endOfFile()).isFalse();
    RootFiles.Lines tail = files.read(root.resolve("src/fifty.txt").toString(), 49, 100, 10_000);
    assertThat(tail.lines()).containsExactly("line 49", "line 50");
    assertThat(tail.endOfFile()).isTrue();
  }

  @Test
  void stopsAtTheBudgetButGivesAtLeastOneLine() throws Exception {
    RootFiles.Lines some = files.read("src/fifty.txt", 1, 50, 40);
    assertThat(some.lines()).hasSizeBetween(4, 5).startsWith("line 1");
    assertThat(some.endOfFile()).isFalse();
    Files.writeString(root.resolve("long.txt"), "y".repeat(5_000) + "\n");
    RootFiles.Lines cut = files.read("long.txt", 1, 1, 10);
    assertThat(cut.lines()).hasSize(1);
    assertThat(cut.lines().get(0))
        .hasSize(RootFiles.MAX_LINE_CHARS + " [... 4000 more characters]".length());
  }

  @Test
  @Tag("hostile")
  void refusesEveryWayOutOfTheRoots() throws Exception {
    Files.createSymbolicLink(root.resolve("link.txt"), tmp.resolve("outside.txt"));
    Files.createSymbolicLink(root.resolve("src/up"), tmp);
    assertRefused("../outside.txt", "contains '..'");
    assertRefused("src/../../outside.txt", "contains '..'");
    assertRefused(tmp.resolve("outside.txt").toString(), "outside the indexed roots");
    assertRefused("/etc/passwd", "outside the indexed roots");
    assertRefused("link.txt", "outside the indexed roots");
    assertRefused("src/up/outside.txt", "outside the indexed roots");
    assertRefused(".quarry/segments_1", "inside the index folder");
    assertRefused("src", "not a regular file");
    assertRefused("nope.txt", "no file 'nope.txt'");
    assertRefused("a\0b", "NUL");
    assertRefused("", "'path' is required");
  }

  @Test
  void refusesBinaryFilesAndEmptyRanges() throws Exception {
    Files.write(root.resolve("blob.bin"), new byte[] {1, 2, 0, 3});
    assertRefused("blob.bin", "binary file");
    assertThatThrownBy(() -> files.read("src/fifty.txt", 60, 70, 1000))
        .hasMessageContaining("has 50 lines; start_line 60 is past its end");
    assertThatThrownBy(() -> files.read("src/fifty.txt", 5, 4, 1000))
        .hasMessageContaining("is not a range");
  }

  private void assertRefused(String path, String why) {
    assertThatThrownBy(() -> files.read(path, 1, 10, 10_000))
        .as(path)
        .isInstanceOf(RootFiles.Refused.class)
        .hasMessageContaining(why)
        .hasMessageNotContaining("secret");
  }
}
