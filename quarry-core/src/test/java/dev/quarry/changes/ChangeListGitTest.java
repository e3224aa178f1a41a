package dev.quarry.changes;

import static dev.quarry.changes.ChangeEntry.Status.ADDED;
import static dev.quarry.changes.ChangeEntry.Status.DELETED;
import static dev.quarry.changes.ChangeEntry.Status.MODIFIED;
import static dev.quarry.changes.ChangeEntry.Status.RENAMED;
import static dev.quarry.changes.ChangeListParserTest.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code git diff --name-status} output, with and without -z, parsed straight from git's
 * stdout.
 */
class ChangeListGitTest {
  @TempDir Path repo;

  @Test
  void parsesWhatGitWritesInBothFramings() throws Exception {
    assumeTrue(gitOnPath(), "git is not on PATH");
    StringBuilder renamed = new StringBuilder();
    for (int i = 1; i <= 20; i++) {
      renamed.append("line ").append(i).append(" of a file that is renamed and changed a little\n");
    }
    write("old-name.txt", renamed.toString());
    write("keep.txt", "kept\n");
    write("gone.txt", "deleted\n");
    git("init", "-q");
    git("add", "-A");
    git("commit", "-q", "-m", "first");

    write("keep.txt", "kept\nand modified\n");
    Files.delete(repo.resolve("gone.txt"));
    Files.move(repo.resolve("old-name.txt"), repo.resolve("renamed.txt"));
    write("renamed.txt", renamed + "line 21\n");
    write("new.txt", "added\n");
    write("dir/café \"x\".txt", "non-ASCII name\n");
    git("add", "-A");
    git("commit", "-q", "-m", "second");

    List<ChangeRecord> lines = diff(Framing.LINES, "diff", "--name-status", "HEAD~1");
    List<ChangeRecord> nul = diff(Framing.NUL, "diff", "--name-status", "-z", "HEAD~1");

    assertThat(lines).hasSize(5).allMatch(r -> r instanceof ChangeEntry);
    ChangeEntry rename = (ChangeEntry) lines.get(4);
    assertThat(rename.score()).isPresent();
    assertThat(rename.score().getAsInt()).isBetween(50, 99);
    assertThat(lines)
        .containsExactly(
            entry(1, ADDED, "dir/café \"x\".txt"),
            entry(2, DELETED, "gone.txt"),
            entry(3, MODIFIED, "keep.txt"),
            entry(4, ADDED, "new.txt"),
            new ChangeEntry(5, RENAMED, rename.score(), List.of("old-name.txt", "renamed.txt")));
    assertThat(nul).isEqualTo(lines);
  }

  private void write(String path, String content) throws IOException {
    Path file = repo.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private static boolean gitOnPath() {
    try {
      Process p = new ProcessBuilder("git", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs git in the repository, with none of the machine's or user's configuration. */
  private ProcessBuilder gitProcess(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "git",
                "-c",
                "core.quotePath=true",
                "-c",
                "diff.renames=true",
                "-c",
                "user.name=Quarry Test",
                "-c",
                "user.email=test@quarry.invalid",
                "-c",
                "commit.gpgSign=false",
                "-c",
                "init.defaultBranch=main"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(repo.toFile());
    pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    return pb;
  }

  private void git(String... args) throws Exception {
    Process p = gitProcess(args).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("git %s finished", List.of(args)).isTrue();
    assertThat(p.exitValue()).as("git %s: %s", List.of(args), output).isZero();
  }

  /** Parses git's output as it streams out of the process. */
  private List<ChangeRecord> diff(Framing framing, String... args) throws Exception {
    Process p = gitProcess(args).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    List<ChangeRecord> records = new ArrayList<>();
    try (InputStream out = p.getInputStream()) {
      ChangeListParser.parse(out, framing, records::add);
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("git %s finished", List.of(args)).isTrue();
    assertThat(p.exitValue()).as("git %s exit status", List.of(args)).isZero();
    return records;
  }
}
