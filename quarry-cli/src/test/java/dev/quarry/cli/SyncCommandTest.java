package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quarry sync --stdin} end to end: a change list applied leaves the index as a full index of
 * the same tree would be; bad lines are reported with their number while the rest apply.
 */
class SyncCommandTest {
  @TempDir Path repo;
  @TempDir Path fresh;
  final ObjectMapper json = new ObjectMapper();

  static QuarryCliTest.Run quarryWithInput(byte[] input, String... args) {
    InputStream oldIn = System.in;
    try {
      System.setIn(new ByteArrayInputStream(input));
      return QuarryCliTest.quarry(args);
    } finally {
      System.setIn(oldIn);
    }
  }

  private String index() {
    return repo.resolve(".quarry").toString();
  }

  @BeforeEach
  void indexedTree() throws Exception {
    Files.createDirectories(repo.resolve("docs"));
    Files.writeString(repo.resolve("alpha.txt"), "alpha talks about rockets\n");
    Files.writeString(repo.resolve("beta.txt"), "beta talks about orbits\n");
    Files.writeString(repo.resolve("docs/gamma.md"), "# Gamma\n\nfuel and engines\n");
    Files.writeString(repo.resolve(".gitignore"), "build/\n*.log\n");
    assertThat(QuarryCliTest.quarry("index", repo.toString(), "--no-embed", "-q").exit()).isZero();
  }

  @Test
  void gitDiffNameStatusOfACommitIsAppliedAsAFullIndexWouldBe() throws Exception {
    assumeTrue(git("--version") == 0, "git is not installed");
    git("init", "-q");
    git("add", "-A");
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one");
    Files.writeString(repo.resolve("alpha.txt"), "alpha now talks about launches\n");
    git("mv", "beta.txt", "beta-renamed.txt");
    git("rm", "-q", "docs/gamma.md");
    Files.writeString(repo.resolve("delta.txt"), "delta is new and talks about comets\n");
    Files.writeString(repo.resolve("noise.log"), "ignored by .gitignore\n");
    git("add", "-A");
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "two");
    byte[] diff = gitOutput("diff", "--name-status", "HEAD~1");

    QuarryCliTest.Run sync =
        quarryWithInput(diff, "sync", "--stdin", "--index", index(), "--json", "-v");
    assertThat(sync.exit()).as(sync.err()).isZero();
    JsonNode result = json.readTree(sync.out());
    assertThat(result.path("kind").asText()).isEqualTo("sync");
    assertThat(result.at("/files/indexed").asLong()).isEqualTo(3); // alpha, beta-renamed, delta
    assertThat(result.at("/files/deleted").asLong()).isEqualTo(2); // beta, gamma
    List<String> actions = new ArrayList<>();
    result
        .path("actions")
        .forEach(a -> actions.add(a.path("action").asText() + " " + a.path("path").asText()));
    assertThat(actions)
        .containsExactlyInAnyOrder(
            "indexed alpha.txt",
            "deleted beta.txt",
            "indexed beta-renamed.txt",
            "deleted docs/gamma.md",
            "indexed delta.txt");

    // The synced index holds exactly what a fresh full index of the tree holds.
    Path copy = fresh.resolve("idx");
    assertThat(
            QuarryCliTest.quarry(
                    "index", repo.toString(), "--index", copy.toString(), "--no-embed", "-q")
                .exit())
        .isZero();
    assertThat(IndexContents.read(Path.of(index())).files())
        .isEqualTo(IndexContents.read(copy).files());
    // A second sync of the same list changes nothing.
    JsonNode again =
        json.readTree(quarryWithInput(diff, "sync", "--stdin", "--index", index(), "--json").out());
    assertThat(again.at("/files/indexed").asLong()).isZero();
    assertThat(again.at("/files/unchanged").asLong()).isEqualTo(3);
  }

  @Test
  void badLinesAreReportedWithTheirNumberAndTheOthersStillApply() throws Exception {
    Files.writeString(repo.resolve("alpha.txt"), "alpha changed to talk about satellites\n");
    Files.createDirectories(repo.resolve("build"));
    Files.writeString(repo.resolve("build/out.txt"), "ignored build output\n");
    String list =
        String.join(
                "\n",
                "alpha.txt", // 1: modified on disk
                "/etc/hostname", // 2: outside the root
                "docs", // 3: a directory
                "Z\tstrange.txt", // 4: unknown status
                repo.resolve("beta.txt").toString(), // 5: absolute, unchanged
                "build/out.txt", // 6: ignored: nothing happens
                "\"unterminated", // 7: bad quoting
                "")
            + "\n";
    QuarryCliTest.Run sync =
        quarryWithInput(
            list.getBytes(StandardCharsets.UTF_8), "sync", "--stdin", "--index", index(), "--json");
    assertThat(sync.exit()).as(sync.err()).isEqualTo(1);
    JsonNode result = json.readTree(sync.out());
    assertThat(result.at("/files/indexed").asLong()).isEqualTo(1);
    assertThat(result.at("/files/unchanged").asLong()).isEqualTo(1);
    List<String> failures = new ArrayList<>();
    result.path("failures").forEach(f -> failures.add(f.path("cause").asText()));
    assertThat(failures).hasSize(4);
    assertThat(failures)
        .anySatisfy(c -> assertThat(c).startsWith("line 2: outside the indexed roots"));
    assertThat(failures)
        .anySatisfy(c -> assertThat(c).startsWith("line 3: not a regular file: a directory"));
    assertThat(failures).anySatisfy(c -> assertThat(c).startsWith("line 4: "));
    assertThat(failures).anySatisfy(c -> assertThat(c).startsWith("line 7: "));
    assertThat(
            QuarryCliTest.quarry("search", "satellites", "--index", index(), "--mode", "lexical")
                .out())
        .contains("alpha.txt");
    assertThat(
            QuarryCliTest.quarry("search", "ignored", "--index", index(), "--mode", "lexical")
                .out())
        .doesNotContain("out.txt");
  }

  @Test
  void nulSeparatedListsAndDryRun() throws Exception {
    Files.delete(repo.resolve("beta.txt"));
    Files.writeString(repo.resolve("new file.txt"), "a name with a space, about nebulas\n");
    byte[] list = "D\0beta.txt\0new file.txt\0alpha.txt\0".getBytes(StandardCharsets.UTF_8);
    IndexContents before = IndexContents.read(Path.of(index()));

    QuarryCliTest.Run dry =
        quarryWithInput(list, "sync", "--stdin", "-z", "--dry-run", "--index", index(), "--json");
    assertThat(dry.exit()).as(dry.err()).isZero();
    JsonNode plan = json.readTree(dry.out());
    assertThat(plan.at("/counts/delete").asInt()).isEqualTo(1);
    assertThat(plan.at("/counts/add").asInt()).isEqualTo(1);
    assertThat(plan.at("/counts/unchanged").asInt()).isEqualTo(1);
    assertThat(IndexContents.read(Path.of(index())).files()).isEqualTo(before.files());

    QuarryCliTest.Run sync =
        quarryWithInput(list, "sync", "--stdin", "-z", "--index", index(), "--json");
    assertThat(sync.exit()).as(sync.err()).isZero();
    assertThat(json.readTree(sync.out()).at("/files/deleted").asLong()).isEqualTo(1);
    assertThat(
            QuarryCliTest.quarry("search", "nebulas", "--index", index(), "--mode", "lexical")
                .out())
        .contains("new file.txt");
  }

  // Issue 11, item 12: a newline-separated list given with -z was one path, did nothing, exit 0.
  @Tag("hostile")
  @Test
  void aNewlineSeparatedListGivenWithZIsAnErrorThatSaysToDropZ() throws Exception {
    Files.writeString(repo.resolve("alpha.txt"), "alpha changed to talk about satellites\n");
    IndexContents before = IndexContents.read(Path.of(index()));
    byte[] lines = "alpha.txt\nbeta.txt\n".getBytes(StandardCharsets.UTF_8);
    for (String dryRun : List.of("--dry-run", "--json")) {
      QuarryCliTest.Run sync =
          quarryWithInput(lines, "sync", "--stdin", "-z", dryRun, "--index", index());
      assertThat(sync.exit()).as(sync.err()).isEqualTo(1);
      assertThat(sync.err()).contains("no NUL byte").contains("2 lines").contains("drop -z");
      assertThat(sync.err().strip().lines()).hasSize(1);
      assertThat(sync.out()).isEmpty();
    }
    assertThat(IndexContents.read(Path.of(index())).files()).isEqualTo(before.files());

    // Without -z the same list applies; a file whose name holds a newline is still one path.
    assertThat(quarryWithInput(lines, "sync", "--stdin", "--index", index()).exit()).isZero();
    Files.writeString(repo.resolve("two\nlines.txt"), "a name across two lines, about comets\n");
    QuarryCliTest.Run odd =
        quarryWithInput(
            "two\nlines.txt".getBytes(StandardCharsets.UTF_8),
            "sync",
            "--stdin",
            "-z",
            "--index",
            index(),
            "--json");
    assertThat(odd.exit()).as(odd.err()).isZero();
    assertThat(json.readTree(odd.out()).at("/files/indexed").asLong()).isEqualTo(1);
  }

  // Issue 11, item 12 (the reverse): NUL-separated input without -z says to add it.
  @Tag("hostile")
  @Test
  void aNulSeparatedListGivenWithoutZSaysToAddIt() {
    QuarryCliTest.Run sync =
        quarryWithInput(
            "alpha.txt\0beta.txt\0".getBytes(StandardCharsets.UTF_8),
            "sync",
            "--stdin",
            "--index",
            index());
    assertThat(sync.exit()).isEqualTo(1);
    assertThat(sync.out() + sync.err()).contains("needs -z");
  }

  @Test
  void withoutStdinItIsAUsageError() {
    QuarryCliTest.Run run = QuarryCliTest.quarry("sync", "--index", index());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--stdin");
  }

  private int git(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
    command.addAll(List.of(args));
    try {
      return new ProcessBuilder(command).inheritIO().start().waitFor();
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  private byte[] gitOutput(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
    return out;
  }
}
