package dev.quarry.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeScannerTest {
  @TempDir Path root;
  @TempDir Path elsewhere;

  /** Records callbacks as "file:path", "skip:path:REASON", "fail:path:cause". */
  static final class Recorder implements ScanListener {
    final List<String> events = new ArrayList<>();
    final List<ScannedFile> files = new ArrayList<>();

    @Override
    public synchronized void onFile(ScannedFile file) {
      files.add(file);
      events.add("file:" + file.relativePath());
    }

    @Override
    public synchronized void onSkipped(String relativePath, SkipReason reason) {
      events.add("skip:" + relativePath + ":" + reason);
    }

    @Override
    public synchronized void onFailed(String relativePath, String cause) {
      events.add("fail:" + relativePath + ":" + cause);
    }
  }

  private ScanOptions options() {
    // An explicit, empty global excludes file: the developer's own ~/.gitconfig must not matter.
    return ScanOptions.defaults()
        .withGlobalExcludesFile(elsewhere.resolve("no-global-ignore"))
        .withParallelism(1);
  }

  private void write(String path, String content) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private List<String> scan(ScanOptions options) throws IOException {
    Recorder recorder = new Recorder();
    TreeScanner.create(options).scan(List.of(root), recorder);
    return recorder.events;
  }

  @Test
  void nestedGitignoresWithNegationDirectoryPatternsAndAnchors() throws IOException {
    write(".gitignore", "*.log\nbuild/\n/only-top.txt\n");
    write("keep.txt", "k");
    write("debug.log", "l");
    write("only-top.txt", "t");
    write("sub/only-top.txt", "t");
    write("build/out.txt", "o");
    write("sub/build/out.txt", "o");
    write("sub/.gitignore", "!important.log\n*.tmp\n");
    write("sub/important.log", "i");
    write("sub/other.log", "o");
    write("sub/x.tmp", "x");
    write("x.tmp", "x");
    assertThat(scan(options()))
        .containsExactly(
            "file:.gitignore",
            "file:keep.txt",
            "file:x.tmp",
            "file:sub/.gitignore",
            "file:sub/important.log",
            "file:sub/only-top.txt");
  }

  @Test
  void aFileInAnIgnoredDirectoryCannotBeReincluded() throws IOException {
    write(".gitignore", "logs/\n!logs/keep.log\n");
    write("logs/keep.log", "k");
    write("a.txt", "a");
    assertThat(scan(options())).containsExactly("file:.gitignore", "file:a.txt");
  }

  @Test
  void infoExcludeGlobalExcludesAndQuarryignore() throws IOException {
    write(".git/info/exclude", "secret.txt\n");
    write(".git/HEAD", "ref: refs/heads/main\n");
    Path global = elsewhere.resolve("global-ignore");
    Files.writeString(global, "*.bak\n");
    write(".quarryignore", "generated/\n");
    write(".gitignore", "!local.bak\n");
    write("secret.txt", "s");
    write("notes.bak", "b");
    write("local.bak", "b");
    write("generated/code.java", "g");
    write("main.java", "m");
    assertThat(scan(ScanOptions.defaults().withGlobalExcludesFile(global).withParallelism(1)))
        .containsExactly(
            "file:.gitignore", "file:.quarryignore", "file:local.bak", "file:main.java");
  }

  @Test
  void aDirectoryWhoseIgnoreFileCannotBeReadIsNotWalked() throws IOException {
    // As root nothing is unreadable by permission; /proc/self/mem is a regular file whose first
    // bytes can never be read (EIO): an ignore file that fails like a bad disk.
    Path unreadable = Path.of("/proc/self/mem");
    assumeTrue(Files.isRegularFile(unreadable), "needs Linux's /proc");
    write("top.txt", "t");
    write("secrets/.env", "API_KEY=hunter2");
    write("secrets/notes.txt", "n");
    Files.createSymbolicLink(root.resolve("secrets/.quarryignore"), unreadable);
    // Its rules (which would exclude .env) are unknown: nothing under it is taken, and it is
    // reported as a directory that could not be read, with the file that failed.
    assertThat(scan(options().withFollowSymlinks(true)))
        .containsExactly(
            "file:top.txt",
            "fail:secrets:cannot read its ignore file secrets/.quarryignore: Input/output error");
  }

  @Test
  void quarryignoreOverridesGitignoreAtTheSameLevel() throws IOException {
    write(".gitignore", "*.md\n");
    write(".quarryignore", "!docs.md\n");
    write("docs.md", "d");
    write("other.md", "o");
    assertThat(scan(options()))
        .containsExactly("file:.gitignore", "file:.quarryignore", "file:docs.md");
  }

  @Test
  void indexDirectoryAndDotQuarryAreNeverWalked() throws IOException {
    write("custom-index/segments_1", "x");
    write("nested/.quarry/segments_1", "x");
    write("a.txt", "a");
    assertThat(scan(options().withExcludedDirectory(root.resolve("custom-index"))))
        .containsExactly("file:a.txt");
  }

  @Test
  void sizeCapAndEmptyFiles() throws IOException {
    write("small.txt", "12345");
    write("big.txt", "x".repeat(100));
    write("empty.txt", "");
    assertThat(scan(options().withMaxFileSize(10)))
        .containsExactly("skip:big.txt:TOO_LARGE", "skip:empty.txt:EMPTY", "file:small.txt");
  }

  @Test
  void symlinksAreSkippedByDefaultAndFollowedWithLoopDetection() throws IOException {
    write("dir/a.txt", "a");
    Files.createSymbolicLink(root.resolve("dir/loop"), root.resolve("dir"));
    Files.createSymbolicLink(root.resolve("link.txt"), root.resolve("dir/a.txt"));
    Files.createSymbolicLink(root.resolve("dangling"), root.resolve("nowhere"));
    assertThat(scan(options()))
        .containsExactly(
            "skip:dangling:SYMLINK",
            "skip:link.txt:SYMLINK",
            "file:dir/a.txt",
            "skip:dir/loop:SYMLINK");
    assertThat(scan(options().withFollowSymlinks(true)))
        .containsExactly(
            "skip:dangling:SYMLINK",
            "file:link.txt",
            "file:dir/a.txt",
            "skip:dir/loop:SYMLINK_LOOP");
  }

  @Test
  void unreadableDirectoryIsReportedAndTheWalkGoesOn() throws IOException {
    write("locked/inner.txt", "i");
    write("open/a.txt", "a");
    Recorder recorder = new Recorder();
    Path locked = root.resolve("locked");
    TreeScanner scanner =
        new TreeScanner(
            options(),
            dir -> {
              if (dir.equals(locked)) {
                throw new AccessDeniedException(dir.toString());
              }
              try (var s = Files.list(dir)) {
                return s.sorted().toList();
              }
            });
    scanner.scan(List.of(root), recorder);
    assertThat(recorder.events)
        .containsExactly("fail:locked:cannot read directory: permission denied", "file:open/a.txt");
  }

  @Test
  void directoryDeletedSinceItsParentWasListedIsGoneNotUnreadable() throws IOException {
    write("gone/inner.txt", "i");
    write("open/a.txt", "a");
    Path gone = root.resolve("gone");
    Recorder recorder = new Recorder();
    new TreeScanner(
            options(),
            dir -> {
              if (dir.equals(gone)) {
                Files.delete(gone.resolve("inner.txt"));
                Files.delete(gone);
              }
              return listSorted(dir);
            })
        .scan(List.of(root), recorder);
    assertThat(recorder.events).containsExactly("file:open/a.txt");
  }

  @Test
  void rootThatVanishesMidWalkIsReportedNotTakenForEmpty() throws IOException {
    write("a/inner.txt", "i");
    Path moved = elsewhere.resolve("moved");
    Recorder recorder = new Recorder();
    new TreeScanner(
            options(),
            dir -> {
              if (dir.equals(root.resolve("a"))) {
                Files.move(root, moved); // renamed, or unmounted, after its own listing
              }
              return listSorted(dir);
            })
        .scan(List.of(root), recorder);
    Files.move(moved, root); // for @TempDir's clean-up
    assertThat(recorder.events)
        .singleElement()
        .asString()
        .startsWith("fail:a:cannot read directory: ");
  }

  @Test
  void parallelWalkStackDoesNotGrowWithTheTreesDepth() throws IOException {
    // Each level has two subdirectories, so a walk that joined them would nest a call per level.
    Path dir = root;
    for (int level = 0; level < 500; level++) {
      Files.createDirectory(dir.resolve("x"));
      dir = Files.createDirectory(dir.resolve("d"));
    }
    Files.writeString(dir.resolve("deepest.txt"), "x");
    AtomicInteger deepestStack = new AtomicInteger();
    Recorder recorder = new Recorder();
    try {
      new TreeScanner(
              options().withParallelism(4),
              d -> {
                deepestStack.accumulateAndGet(
                    Thread.currentThread().getStackTrace().length, Math::max);
                return listSorted(d);
              })
          .scan(List.of(root), recorder);
    } finally {
      deleteTree(root.resolve("d")); // faster than @TempDir's clean-up at this depth
    }
    assertThat(recorder.files)
        .singleElement()
        .satisfies(f -> assertThat(f.relativePath()).endsWith("/d/deepest.txt"));
    // The calling thread may help the walk: its own frames (the test runner's) count too.
    assertThat(deepestStack.get())
        .as("frames on the stack of a thread listing a directory")
        .isLessThan(250);
  }

  @Test
  void scannedFilesCarryStatAndRootRelativePaths() throws IOException {
    write("a/b.txt", "hello");
    Recorder recorder = new Recorder();
    TreeScanner.create(options()).scan(List.of(root, elsewhere), recorder);
    ScannedFile file = recorder.files.get(0);
    assertThat(file.root()).isEqualTo(root);
    assertThat(file.path()).isEqualTo(root.resolve("a/b.txt"));
    assertThat(file.relativePath()).isEqualTo("a/b.txt");
    assertThat(file.size()).isEqualTo(5);
    assertThat(file.mtimeMillis())
        .isEqualTo(Files.getLastModifiedTime(root.resolve("a/b.txt")).toMillis());
    assertThat(file.fileKey()).isNotEmpty();
  }

  @Test
  void parallelWalkReportsTheSameEntries() throws IOException {
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 400; i++) {
      write("d" + random.nextInt(20) + "/e" + random.nextInt(5) + "/f" + i + ".txt", "x");
    }
    write(".gitignore", "d3/\n*7.txt\n");
    List<String> sequential = new ArrayList<>(scan(options()));
    List<String> parallel = new ArrayList<>(scan(options().withParallelism(4)));
    assertThat(parallel).containsExactlyInAnyOrderElementsOf(sequential);
    assertThat(sequential).hasSizeGreaterThan(300);
  }

  @Test
  void missingRootIsAnErrorNamingIt() {
    Path missing = root.resolve("missing");
    assertThatThrownBy(
            () -> TreeScanner.create(options()).scan(List.of(root, missing), new Recorder()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void globalExcludesAreFoundLikeGitFindsThem() throws IOException {
    Path home = elsewhere.resolve("home");
    Files.createDirectories(home);
    assertThat(GlobalExcludes.locate(home, null)).contains(home.resolve(".config/git/ignore"));
    assertThat(GlobalExcludes.locate(home, "/xdg")).contains(Path.of("/xdg/git/ignore"));
    Files.writeString(
        home.resolve(".gitconfig"), "[user]\n\tname = x\n[core]\n\texcludesFile = ~/my-ignores\n");
    assertThat(GlobalExcludes.locate(home, null)).contains(home.resolve("my-ignores"));
  }

  private static List<Path> listSorted(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
