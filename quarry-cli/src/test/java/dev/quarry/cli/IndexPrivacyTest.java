package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.cli.QuarryCliTest.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Quarry leaves on disk is its user's alone: the index holds the text of every file it read,
 * restricted ones included, and the embedding cache holds what was embedded. Checked as another
 * local user ({@code nobody}, through {@code setpriv}) when the tests run as root, else by the
 * POSIX permissions themselves.
 */
class IndexPrivacyTest {
  private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OPEN_FOLDER =
      PosixFilePermissions.fromString("rwxr-xr-x");

  @TempDir Path temp;
  Path work;
  Path tree;

  @BeforeEach
  void aTreeOthersCanReach() throws IOException {
    Assumptions.assumeTrue(
        FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
        "POSIX permissions");
    // JUnit makes its temporary folder 0700: then nobody could reach anything below it, and the
    // test would pass whatever the index's own mode. The tree lives in a folder others may enter.
    work = Files.createDirectory(temp.resolve("work"));
    Files.setPosixFilePermissions(temp, OPEN_FOLDER);
    Files.setPosixFilePermissions(work, OPEN_FOLDER);
    tree = Files.createDirectory(work.resolve("t"));
    Files.setPosixFilePermissions(tree, OPEN_FOLDER);
    Files.writeString(tree.resolve("s.txt"), "secret launch codes\n");
    Files.setPosixFilePermissions(tree.resolve("s.txt"), OWNER_ONLY_FILE);
    Files.writeString(tree.resolve("public.txt"), "a public note\n");
    Files.setPosixFilePermissions(
        tree.resolve("public.txt"), PosixFilePermissions.fromString("rw-r--r--"));
  }

  // Issue 11, item 3: .quarry was 0755 with 0644 files holding chunk text, so any local user could
  // search a file only its owner may read; the disk cache was as open.
  @Test
  @Tag("hostile")
  void theIndexAndTheDiskCacheAreOwnerOnly() throws Exception {
    Path cacheParent = Files.createDirectory(work.resolve("cache-home"));
    Files.setPosixFilePermissions(cacheParent, OPEN_FOLDER);
    Path cacheDir = cacheParent.resolve("quarry");

    Run index = QuarryCliTest.quarry("index", tree.toString(), "--no-embed", "-q");
    assertThat(index.exit()).as(index.err()).isZero();
    Run warm =
        QuarryCliTest.quarry(
            "cache", "warm", "--index", tree.toString(), "--cache-dir", cacheDir.toString());
    assertThat(warm.exit()).as(warm.err()).isZero();

    Path quarry = tree.resolve(".quarry");
    Path db = cacheDir.resolve("embeddings.db");
    assertThat(Files.getPosixFilePermissions(quarry)).isEqualTo(OWNER_ONLY_FOLDER);
    assertThat(Files.getPosixFilePermissions(quarry.resolve("quarry.lock")))
        .isEqualTo(OWNER_ONLY_FILE);
    // Lucene's files too (found by bench/hostile-probe.sh): a copy of the folder keeps their mode.
    try (java.util.stream.Stream<Path> files = Files.list(quarry)) {
      assertThat(files.toList())
          .hasSizeGreaterThan(3)
          .allSatisfy(
              file ->
                  assertThat(Files.getPosixFilePermissions(file))
                      .as(file.toString())
                      .isEqualTo(OWNER_ONLY_FILE));
    }
    assertThat(Files.getPosixFilePermissions(cacheDir)).isEqualTo(OWNER_ONLY_FOLDER);
    assertThat(Files.getPosixFilePermissions(db)).isEqualTo(OWNER_ONLY_FILE);
    // Folders Quarry did not create keep their mode.
    assertThat(Files.getPosixFilePermissions(tree)).isEqualTo(OPEN_FOLDER);
    assertThat(Files.getPosixFilePermissions(cacheParent)).isEqualTo(OPEN_FOLDER);

    // The owner searches it.
    Run search =
        QuarryCliTest.quarry("search", "secret", "--mode", "lexical", "--index", tree.toString());
    assertThat(search.exit()).as(search.err()).isZero();
    assertThat(search.out()).contains("s.txt");

    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of(SETPRIV)),
        "the cross-user check runs commands as nobody: it needs root and setpriv");
    Path segment = segmentFile(quarry);
    // The control: nobody reaches the tree, so what stops it below is the index's own mode.
    assertThat(asNobody("cat", tree.resolve("public.txt").toString()))
        .isEqualTo(new Result(0, "a public note\n"));
    assertThat(asNobody("ls", cacheParent.toString()).exit()).isZero();
    assertThat(asNobody("ls", quarry.toString()).exit()).isNotZero();
    assertThat(asNobody("cat", segment.toString()).exit()).isNotZero();
    assertThat(asNobody("ls", cacheDir.toString()).exit()).isNotZero();
    assertThat(asNobody("cat", db.toString()).exit()).isNotZero();
  }

  // Issue 11, item 3: an index an older Quarry made readable by others is made owner-only by the
  // next run that writes it, which says so; the run after it says nothing.
  @Test
  @Tag("hostile")
  void anIndexOpenToOthersIsMadeOwnerOnlyByTheNextRunSayingSoOnce() throws Exception {
    assertThat(QuarryCliTest.quarry("index", tree.toString(), "--no-embed", "-q").exit()).isZero();
    Path quarry = tree.resolve(".quarry");
    Files.setPosixFilePermissions(quarry, OPEN_FOLDER);
    Files.setPosixFilePermissions(
        quarry.resolve("quarry.lock"), PosixFilePermissions.fromString("rw-r--r--"));

    Run tightening = QuarryCliTest.quarry("index", tree.toString(), "--no-embed", "-q");
    assertThat(tightening.exit()).as(tightening.err()).isZero();
    assertThat(tightening.err())
        .contains("warning: index " + quarry + " was readable by other users")
        .contains("now owner-only (0700)");
    assertThat(Files.getPosixFilePermissions(quarry)).isEqualTo(OWNER_ONLY_FOLDER);
    assertThat(Files.getPosixFilePermissions(quarry.resolve("quarry.lock")))
        .isEqualTo(OWNER_ONLY_FILE);

    Run next = QuarryCliTest.quarry("index", tree.toString(), "--no-embed", "-q");
    assertThat(next.exit()).as(next.err()).isZero();
    assertThat(next.err()).doesNotContain("readable by other users");
  }

  // Issue 11, item 3: --index names the index folder; the folders above it are the user's and keep
  // their mode, those Quarry had to create too.
  @Test
  @Tag("hostile")
  void onlyTheIndexFolderItselfIsMadeOwnerOnly() throws Exception {
    Path indexes = Files.createDirectory(work.resolve("indexes"));
    Files.setPosixFilePermissions(indexes, OPEN_FOLDER);
    Path index = indexes.resolve("new/deeper/idx");

    Run run =
        QuarryCliTest.quarry(
            "index", tree.toString(), "--index", index.toString(), "--no-embed", "-q");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).doesNotContain("warning");
    assertThat(Files.getPosixFilePermissions(index)).isEqualTo(OWNER_ONLY_FOLDER);
    assertThat(Files.getPosixFilePermissions(indexes)).isEqualTo(OPEN_FOLDER);
    assertThat(Files.getPosixFilePermissions(index.getParent())).isNotEqualTo(OWNER_ONLY_FOLDER);
    assertThat(Files.getPosixFilePermissions(index.getParent().getParent()))
        .isNotEqualTo(OWNER_ONLY_FOLDER);
  }

  // Issue 11, item 3: --index at a folder holding the user's own files: Quarry does not change the
  // mode of a folder it does not own, and says the index in it is not private.
  @Test
  @Tag("hostile")
  void aFolderOfTheUsersKeepsItsModeWithAWarning() throws Exception {
    Path mine = Files.createDirectory(work.resolve("mine"));
    Files.setPosixFilePermissions(mine, OPEN_FOLDER);
    Files.writeString(mine.resolve("notes.txt"), "the user's own file\n");

    Run run =
        QuarryCliTest.quarry(
            "index", tree.toString(), "--index", mine.toString(), "--no-embed", "-q");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err())
        .contains("warning: index folder " + mine + " holds other files than the index")
        .contains("chmod 700");
    assertThat(Files.getPosixFilePermissions(mine)).isEqualTo(OPEN_FOLDER);
  }

  private static final String SETPRIV = "/usr/bin/setpriv";

  record Result(int exit, String output) {}

  /** Runs {@code command} as the user nobody, with no groups. */
  private Result asNobody(String... command) throws IOException, InterruptedException {
    List<String> line =
        new ArrayList<>(List.of(SETPRIV, "--reuid=65534", "--regid=65534", "--clear-groups", "--"));
    line.addAll(List.of(command));
    Path output = Files.createTempFile(temp, "nobody-", ".out");
    Process process =
        new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", line) + " did not finish in 30 s");
    }
    return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }

  /** A file of the index that holds its text: a compound segment or a stored-fields file. */
  private static Path segmentFile(Path index) throws IOException {
    try (Stream<Path> files = Files.list(index)) {
      return files
          .filter(p -> p.getFileName().toString().matches("_\\w+\\.(cfs|fdt)"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no segment file in " + index));
    }
  }
}
