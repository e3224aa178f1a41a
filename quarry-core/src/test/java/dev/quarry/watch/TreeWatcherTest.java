package dev.quarry.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quarry.scan.ScanOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher on real directories with the kernel's real events. */
class TreeWatcherTest {
  @TempDir Path temp;
  Path root;
  final List<WatchEvent> events = Collections.synchronizedList(new ArrayList<>());
  TreeWatcher watcher;

  @BeforeEach
  void tree() throws IOException {
    root = Files.createDirectories(temp.resolve("root")).toRealPath();
    Files.writeString(root.resolve(".gitignore"), "node_modules/\n*.log\n");
    Files.createDirectories(root.resolve("src/main"));
    Files.createDirectories(root.resolve("node_modules/lib"));
    Files.createDirectories(root.resolve(".git/objects"));
  }

  @AfterEach
  void stop() throws IOException {
    if (watcher != null) {
      watcher.close();
    }
  }

  private void start() throws IOException {
    watcher =
        TreeWatcher.start(
            List.of(root),
            ScanOptions.defaults().withExcludedDirectory(root.resolve(".quarry")),
            events::add);
  }

  private Set<Path> changed() {
    Set<Path> paths = new HashSet<>();
    synchronized (events) {
      for (WatchEvent e : events) {
        if (e instanceof WatchEvent.Changed c) {
          paths.addAll(c.paths());
        }
      }
    }
    return paths;
  }

  @Test
  void reportsCreatedModifiedAndDeletedFilesButNotIgnoredOnes() throws Exception {
    start();
    assertThat(watcher.watchedDirectories()).isEqualTo(3); // root, src, src/main
    Files.writeString(root.resolve("node_modules/lib/index.js"), "ignored");
    Files.writeString(root.resolve("node_modules/new.js"), "ignored");
    Files.writeString(root.resolve("debug.log"), "ignored");
    Files.writeString(root.resolve(".git/objects/x"), "never");
    Path kept = root.resolve("src/main/App.java");
    Files.writeString(kept, "class App {}");
    Awaits.await("App.java reported", () -> changed().contains(kept));
    events.clear();
    Path gone = root.resolve("src/old.txt");
    Files.writeString(gone, "old");
    Files.delete(gone);
    Files.writeString(kept, "class App { int x; }");
    Awaits.await("both reported", () -> changed().containsAll(List.of(gone, kept)));
    assertThat(changed()).allMatch(p -> p.startsWith(root.resolve("src")));
  }

  @Test
  void filesCreatedInANewDirectoryBeforeItsWatchAreFoundByListingIt() throws Exception {
    start();
    Path dir = root.resolve("pkg/deep/er");
    Files.createDirectories(dir);
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 20; i++) { // written at once: most land before the new watch exists
      files.add(Files.writeString(dir.resolve("f" + i + ".txt"), "content " + i));
    }
    Awaits.await("all 20 reported", () -> changed().containsAll(files));
    assertThat(watcher.watchedDirectories()).isEqualTo(6);
    assertThat(changed()).noneMatch(Files::isDirectory);
  }

  @Test
  void aDeletedOrRenamedDirectoryIsReportedByItsOldPath() throws Exception {
    Path a = Files.createDirectories(root.resolve("a/inner"));
    Files.writeString(a.resolve("x.txt"), "x");
    Path b = Files.createDirectories(root.resolve("b"));
    start();
    Files.move(root.resolve("a"), root.resolve("moved"));
    Awaits.await("old name reported", () -> changed().contains(root.resolve("a")));
    Files.writeString(root.resolve("moved/inner/y.txt"), "y");
    Awaits.await(
        "a file in the renamed directory reported under its new name",
        () -> changed().contains(root.resolve("moved/inner/y.txt")));
    assertThat(changed()).noneMatch(p -> p.startsWith(root.resolve("a/inner")));
    Files.delete(b);
    Awaits.await("deleted directory reported", () -> changed().contains(b));
  }

  @Test
  void twoThousandFilesWrittenAtOnceInOneDirectoryComeInAFewBatchesWithoutOverflow()
      throws Exception {
    // Before JDK 24 a watch holds at most 512 queued events, and a burst becomes a reconcile.
    assumeTrue(Runtime.version().feature() >= 24, "the JDK's event limit cannot be raised");
    Path dir = Files.createDirectories(root.resolve("src/bulk"));
    start();
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      files.add(Files.writeString(dir.resolve("f" + i + ".txt"), "bulk " + i));
    }
    Awaits.await("all 2000 reported", () -> changed().containsAll(files));
    assertThat(events).noneMatch(e -> e instanceof WatchEvent.ReconcileNeeded);
    assertThat(events.size()).isBetween(1, 10);
  }

  @Test
  void anOverflowOrALostRootAsksForAReconcile() throws Exception {
    start();
    watcher.simulateOverflow();
    Awaits.await(
        "reconcile after overflow",
        () -> events.stream().anyMatch(e -> e instanceof WatchEvent.ReconcileNeeded));
    assertThat(((WatchEvent.ReconcileNeeded) events.getFirst()).why()).contains("overflow");
    events.clear();
    deleteTree(root);
    Awaits.await(
        "reconcile after the root went",
        () ->
            events.stream()
                .anyMatch(
                    e -> e instanceof WatchEvent.ReconcileNeeded r && r.why().contains("root")));
  }

  @Test
  void aChangedIgnoreFileAsksForAReconcileAndWatchesWhatItNoLongerIgnores() throws Exception {
    start();
    Files.writeString(root.resolve(".gitignore"), "*.log\n");
    Awaits.await(
        "reconcile after .gitignore changed",
        () ->
            events.stream()
                .anyMatch(
                    e -> e instanceof WatchEvent.ReconcileNeeded r && r.why().contains("ignore")));
    assertThat(watcher.watchedDirectories()).isEqualTo(5); // node_modules and lib too
    Path js = Files.writeString(root.resolve("node_modules/lib/now.js"), "seen");
    Awaits.await("now watched", () -> changed().contains(js));
  }

  @Test
  void closeStopsTheThreadAndARootThatIsNoDirectoryIsRefused() throws Exception {
    start();
    assertThat(watcher.watching()).isTrue();
    watcher.close();
    assertThat(watcher.watching()).isFalse();
    assertThat(Awaits.threadNamed("quarry-watch")).isFalse();
    watcher.close(); // idempotent
    watcher = null;
    Path file = Files.writeString(root.resolve("file.txt"), "x");
    assertThatThrownBy(() -> TreeWatcher.start(List.of(file), ScanOptions.defaults(), e -> {}))
        .hasMessageContaining("cannot watch root " + file);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
