package dev.quarry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.quarry.index.IndexSchema;
import dev.quarry.index.QuarryIndex;
import dev.quarry.manifest.ManifestEntry;
import dev.quarry.manifest.ManifestSnapshot;
import dev.quarry.scan.RegularFileOpener;
import dev.quarry.scan.SkipReason;
import dev.quarry.scan.TreeScanner;
import dev.quarry.search.SearchMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tree changing under a run, and trees of extreme shape. Every run must end, count what went
 * wrong, and leave an index the next run brings in line with the tree; after that a run on the
 * unchanged tree is a no-op. Tests run as root, where chmod cannot make anything unreadable: faults
 * come through the content reader and directory lister seams, each firing once, on the path it is
 * registered for.
 */
class TreeFaultsTest {
  @TempDir Path tree;
  @TempDir Path indexDir;
  PipelineFixture fixture;

  /** One-shot faults of reading a file, by root-relative path. */
  final Map<String, IndexRun.ContentReader> readFaults = new ConcurrentHashMap<>();

  /** One-shot faults of listing a directory, by root-relative path. */
  final Map<String, TreeScanner.DirectoryLister> listFaults = new ConcurrentHashMap<>();

  @BeforeEach
  void setUp() {
    fixture = new PipelineFixture(tree, indexDir);
    fixture.reader =
        (file, limit) -> {
          IndexRun.ContentReader fault = readFaults.remove(file.relativePath());
          return fault != null ? fault.read(file, limit) : read(file.path(), limit);
        };
    fixture.scan =
        fixture.scan.withLister(
            dir -> {
              TreeScanner.DirectoryLister fault =
                  listFaults.remove(tree.relativize(dir).toString());
              return fault != null ? fault.list(dir) : list(dir);
            });
  }

  // ---- files that change between the scan and the read ----

  @Test
  void fileThatGrowsWhileBeingReadIsInLineAfterTheNextRun() throws Exception {
    write("grows-midway.txt", "Lighthouse keepers log passing ships.\n");
    write("grows-after.txt", "Harbour pilots guide the vessels.\n");
    write("steady.txt", "Tides follow the moon.\n");
    // The writer appends while the reader is halfway: the read goes on to the new end of the file.
    readFaults.put(
        "grows-midway.txt",
        (file, limit) -> {
          try (InputStream in = Files.newInputStream(file.path())) {
            byte[] head = in.readNBytes((int) file.size() / 2);
            append(file.path(), "Zephyr winds arrive.\n");
            return concat(head, in.readNBytes((int) limit - head.length));
          }
        });
    // The writer appends once the reader has reached the end: the index gets the shorter content.
    readFaults.put(
        "grows-after.txt",
        (file, limit) -> {
          byte[] content = read(file.path(), limit);
          append(file.path(), "Quokka crossings ahead.\n");
          return content;
        });

    PipelineFixture.Result first = fixture.run();
    assertThat(readFaults).isEmpty();
    assertThat(first.paths(FileOutcome.Indexed.class))
        .containsExactly("grows-after.txt", "grows-midway.txt", "steady.txt");
    assertThat(first.summary().filesFailed()).isZero();
    assertThat(lexical("zephyr")).containsExactly("grows-midway.txt");
    assertThat(lexical("quokka")).isEmpty();

    PipelineFixture.Result second = fixture.run();
    // The manifest holds the size that was read, so the file that grew after its read is read
    // again.
    assertThat(second.paths(FileOutcome.Indexed.class)).containsExactly("grows-after.txt");
    assertThat(second.summary().filesDeleted()).isZero();
    assertThat(lexical("quokka")).containsExactly("grows-after.txt");
    assertThat(lexical("zephyr")).containsExactly("grows-midway.txt");
    assertIndexMatchesTree();
    assertNoOp(fixture.run());
  }

  @Test
  void fileThatShrinksWhileBeingReadIsInLineAfterTheNextRun() throws Exception {
    write("shrinks-before.txt", "Anchors hold.\nCormorants dive for fish.\n");
    write("shrinks-after.txt", "Buoys mark the channel.\nGannets plunge from the sky.\n");
    write("emptied.txt", "Driftwood on the beach.\n");
    readFaults.put(
        "shrinks-before.txt",
        (file, limit) -> {
          truncate(file.path(), "Anchors hold.\n".length());
          return read(file.path(), limit);
        });
    readFaults.put(
        "shrinks-after.txt",
        (file, limit) -> {
          byte[] content = read(file.path(), limit);
          truncate(file.path(), "Buoys mark the channel.\n".length());
          return content;
        });
    // Scanned with content, empty when read: the scan skips empty files, the read finds one.
    readFaults.put(
        "emptied.txt",
        (file, limit) -> {
          truncate(file.path(), 0);
          return read(file.path(), limit);
        });

    PipelineFixture.Result first = fixture.run();
    assertThat(readFaults).isEmpty();
    assertThat(first.summary().filesFailed()).isZero();
    assertThat(first.outcomes())
        .filteredOn(o -> o.path().equals("emptied.txt"))
        .containsExactly(new FileOutcome.Skipped("emptied.txt", SkipReason.EMPTY));
    assertThat(lexical("cormorants")).isEmpty();
    assertThat(lexical("gannets")).containsExactly("shrinks-after.txt");
    assertThat(lexical("driftwood")).isEmpty();

    PipelineFixture.Result second = fixture.run();
    assertThat(second.paths(FileOutcome.Indexed.class)).containsExactly("shrinks-after.txt");
    assertThat(second.outcomes())
        .filteredOn(o -> o.path().equals("emptied.txt"))
        .containsExactly(new FileOutcome.Skipped("emptied.txt", SkipReason.EMPTY));
    assertThat(lexical("gannets")).isEmpty();
    assertThat(lexical("buoys")).containsExactly("shrinks-after.txt");
    assertThat(lexical("anchors")).containsExactly("shrinks-before.txt");
    assertIndexMatchesTree();
    assertNoOp(fixture.run());
  }

  @Test
  void fileThatVanishesBetweenScanAndReadLeavesTheIndex() throws Exception {
    write("kept.txt", "Seagulls circle the pier.\n");
    write("indexed-then-gone.txt", "Walruses bask on the ice.\n");
    fixture.run();
    assertThat(lexical("walruses")).containsExactly("indexed-then-gone.txt");

    // A new file and a changed, indexed one are both deleted after the scan found them.
    write("new-then-gone.txt", "Narwhals surface briefly.\n");
    write("indexed-then-gone.txt", "Walruses bask on the ice, and sleep.\n");
    IndexRun.ContentReader delete =
        (file, limit) -> {
          Files.delete(file.path());
          return read(file.path(), limit);
        };
    readFaults.put("new-then-gone.txt", delete);
    readFaults.put("indexed-then-gone.txt", delete);

    PipelineFixture.Result second = fixture.run();
    assertThat(readFaults).isEmpty();
    assertThat(second.outcomes())
        .filteredOn(o -> o.path().equals("new-then-gone.txt"))
        .containsExactly(
            new FileOutcome.Failed(
                "new-then-gone.txt", "deleted while the run was reading the tree"));
    // An indexed file that vanished is deleted in this very run, with one outcome (not a failure
    // too).
    assertThat(second.outcomes())
        .filteredOn(o -> o.path().equals("indexed-then-gone.txt"))
        .containsExactly(new FileOutcome.Deleted("indexed-then-gone.txt"));
    assertThat(second.summary().filesFailed()).isEqualTo(1);
    assertThat(second.summary().filesDeleted()).isEqualTo(1);
    assertThat(lexical("walruses")).isEmpty();
    assertThat(lexical("narwhals")).isEmpty();
    assertIndexMatchesTree();

    assertNoOp(fixture.run());
    assertThat(lexical("seagulls")).containsExactly("kept.txt");
  }

  // ---- directories ----

  @Test
  void directoryUnreadableMidWalkKeepsItsFilesUntilItCanBeReadAgain() throws Exception {
    write("top.txt", "Puffins nest on cliffs.\n");
    write("locked/one.txt", "Otters crack shells.\n");
    write("locked/deep/two.txt", "Seals haul out at low tide.\n");
    write("open/three.txt", "Herons wait in the shallows.\n");
    fixture.run();

    // While the directory cannot be read, what is under it changes: the run cannot know.
    Files.delete(tree.resolve("locked/deep/two.txt"));
    write("locked/one.txt", "Otters crack shells on their bellies.\n");
    Files.delete(tree.resolve("open/three.txt"));
    listFaults.put(
        "locked",
        dir -> {
          throw new AccessDeniedException(dir.toString());
        });
    PipelineFixture.Result unreadable = fixture.run();
    assertThat(listFaults).isEmpty();
    assertThat(unreadable.summary().failures())
        .containsExactly(
            new FileOutcome.Failed("locked", "cannot read directory: permission denied"));
    // Unreadable is not gone: the files under it stay; a file deleted elsewhere still goes.
    assertThat(unreadable.paths(FileOutcome.Deleted.class)).containsExactly("open/three.txt");
    assertThat(unreadable.paths(FileOutcome.Unchanged.class)).containsExactly("top.txt");
    assertThat(lexical("seals")).containsExactly("locked/deep/two.txt");
    assertThat(lexical("otters")).containsExactly("locked/one.txt");
    assertThat(lexical("herons")).isEmpty();

    PipelineFixture.Result readable = fixture.run();
    assertThat(readable.summary().filesFailed()).isZero();
    assertThat(readable.paths(FileOutcome.Indexed.class)).containsExactly("locked/one.txt");
    assertThat(readable.paths(FileOutcome.Deleted.class)).containsExactly("locked/deep/two.txt");
    assertThat(lexical("seals")).isEmpty();
    assertThat(lexical("bellies")).containsExactly("locked/one.txt");
    assertIndexMatchesTree();
    assertNoOp(fixture.run());
  }

  @Test
  void anUnreadableDirectoryKeepsFilesOnlyUnderItsOwnRoot(@TempDir Path otherRoot)
      throws Exception {
    fixture.moreRoots.add(otherRoot);
    write("src/kept.txt", "Gannets dive for fish.\n");
    Files.createDirectories(otherRoot.resolve("src"));
    Files.writeString(otherRoot.resolve("src/gone.txt"), "Terns migrate far.\n");
    fixture.run();

    Files.delete(otherRoot.resolve("src/gone.txt"));
    listFaults.put(
        "src",
        dir -> {
          throw new AccessDeniedException(dir.toString());
        });
    PipelineFixture.Result run = fixture.run();
    assertThat(listFaults).isEmpty();
    // The same relative path under the other root is readable: its deleted file goes.
    assertThat(run.paths(FileOutcome.Deleted.class)).containsExactly("src/gone.txt");
    assertThat(lexical("gannets")).containsExactly("src/kept.txt");
    assertThat(lexical("terns")).isEmpty();
  }

  @Test
  void nestedDirectoryUnreadableKeepsOnlyWhatIsUnderIt() throws Exception {
    write("a/one.txt", "Albatrosses glide for days.\n");
    write("a/b/two.txt", "Petrels skim the waves.\n");
    write("a/bc/three.txt", "Shearwaters dive deep.\n");
    fixture.run();

    Files.delete(tree.resolve("a/b/two.txt"));
    Files.delete(
        tree.resolve("a/bc/three.txt")); // a sibling whose name extends the unreadable one's
    listFaults.put(
        "a/b",
        dir -> {
          throw new IOException("Input/output error");
        });
    PipelineFixture.Result unreadable = fixture.run();
    assertThat(unreadable.summary().failures())
        .containsExactly(
            new FileOutcome.Failed("a/b", "cannot read directory: Input/output error"));
    assertThat(unreadable.paths(FileOutcome.Deleted.class)).containsExactly("a/bc/three.txt");
    assertThat(lexical("petrels")).containsExactly("a/b/two.txt");

    PipelineFixture.Result readable = fixture.run();
    assertThat(readable.paths(FileOutcome.Deleted.class)).containsExactly("a/b/two.txt");
    assertIndexMatchesTree();
    assertNoOp(fixture.run());
  }

  @Test
  void unreadableRootKeepsTheWholeIndex() throws Exception {
    write("one.txt", "Sandpipers run along the surf.\n");
    write("sub/two.txt", "Plovers nest in the dunes.\n");
    fixture.run();

    Files.delete(tree.resolve("sub/two.txt"));
    listFaults.put(
        "",
        dir -> {
          throw new AccessDeniedException(dir.toString());
        });
    PipelineFixture.Result unreadable = fixture.run();
    assertThat(unreadable.summary().failures())
        .containsExactly(new FileOutcome.Failed(".", "cannot read directory: permission denied"));
    assertThat(unreadable.summary().filesDeleted()).isZero();
    assertThat(lexical("plovers")).containsExactly("sub/two.txt");

    assertThat(fixture.run().paths(FileOutcome.Deleted.class)).containsExactly("sub/two.txt");
    assertIndexMatchesTree();
    assertNoOp(fixture.run());
  }

  @Test
  void deletedDirectoryLeavesTheIndex() throws Exception {
    write("stays.txt", "Kelp forests sway.\n");
    write("gone/one.txt", "Lobsters hide under rocks.\n");
    write("gone/deeper/two.txt", "Crabs scuttle sideways.\n");
    fixture.run();

    deleteTree(tree.resolve("gone"));
    PipelineFixture.Result r = fixture.run();
    assertThat(r.paths(FileOutcome.Deleted.class))
        .containsExactly("gone/deeper/two.txt", "gone/one.txt");
    assertThat(r.summary().filesFailed()).isZero();
    assertThat(lexical("lobsters")).isEmpty();
    assertThat(lexical("crabs")).isEmpty();
    assertIndexMatchesTree();
    assertNoOp(fixture.run());
  }

  @Test
  void directoryDeletedMidWalkLeavesTheIndexInThatRun() throws Exception {
    write("stays.txt", "Kelp forests sway.\n");
    write("gone/one.txt", "Lobsters hide under rocks.\n");
    write("gone/deeper/two.txt", "Crabs scuttle sideways.\n");
    fixture.run();

    // Deleted after its parent was listed, before it is: gone, not unreadable.
    listFaults.put(
        "gone",
        dir -> {
          deleteTree(dir);
          return list(dir);
        });
    PipelineFixture.Result r = fixture.run();
    assertThat(listFaults).isEmpty();
    assertThat(r.summary().filesFailed()).isZero();
    assertThat(r.paths(FileOutcome.Deleted.class))
        .containsExactly("gone/deeper/two.txt", "gone/one.txt");
    assertThat(lexical("lobsters")).isEmpty();
    assertIndexMatchesTree();
    assertNoOp(fixture.run());
  }

  // Issue 11, item 2: a file swapped for a FIFO between the walk and the read hung the run
  // forever (a blocking open() waits for a writer), holding the lock against every other run.
  @Test
  @Tag("hostile")
  void aFileSwappedForAFifoAfterTheScanIsSkippedAndTheRunGoesOn() throws Exception {
    write("steady.txt", "Lanterns hang at the quay.\n");
    write("swapped.txt", "Buoys mark the channel.\n");
    write("relinked.txt", "Cranes unload the freighters.\n");
    Path fifo = tree.resolve("elsewhere.fifo");
    fixture.reader =
        (file, limit) -> {
          switch (file.relativePath()) {
            case "swapped.txt" -> {
              Files.delete(file.path());
              mkfifo(file.path());
            }
            case "relinked.txt" -> {
              // A link in place of the file, to a FIFO: refused, links are not followed here.
              mkfifo(fifo);
              Files.delete(file.path());
              Files.createSymbolicLink(file.path(), fifo);
            }
            default -> {}
          }
          return IndexRun.readCapped(file, limit, false);
        };

    PipelineFixture.Result run =
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> fixture.run());

    assertThat(run.outcomes())
        .contains(
            new FileOutcome.Skipped("swapped.txt", SkipReason.SPECIAL_FILE),
            new FileOutcome.Skipped("relinked.txt", SkipReason.SPECIAL_FILE));
    assertThat(run.summary().filesIndexed()).isEqualTo(1);
    assertThat(lexical("lanterns")).containsExactly("steady.txt");
  }

  // Issue 11, item 2: the same when links are followed: the opened descriptor's type decides.
  @Test
  @Tag("hostile")
  void aFollowedLinkToAFifoIsRefusedWithoutBlocking() throws Exception {
    if (System.getProperty("os.name").equals("Linux")) {
      assertThat(RegularFileOpener.opensWithoutBlocking()).isTrue();
    }
    Path fifo = tree.resolve("pipe");
    mkfifo(fifo);
    Path link = tree.resolve("link.txt");
    Files.createSymbolicLink(link, fifo);
    Path file = Files.writeString(tree.resolve("plain.txt"), "Gulls.\n");

    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          assertThatThrownBy(() -> RegularFileOpener.open(fifo, true))
              .isInstanceOf(RegularFileOpener.NotRegularFileException.class);
          assertThatThrownBy(() -> RegularFileOpener.open(link, true))
              .isInstanceOf(RegularFileOpener.NotRegularFileException.class);
          assertThatThrownBy(() -> RegularFileOpener.open(link, false))
              .isInstanceOf(RegularFileOpener.NotRegularFileException.class);
          assertThatThrownBy(() -> RegularFileOpener.open(tree.resolve("none.txt"), true))
              .isInstanceOf(java.nio.file.NoSuchFileException.class);
          try (InputStream in = RegularFileOpener.open(file, false)) {
            assertThat(in.readAllBytes()).asString().isEqualTo("Gulls.\n");
          }
        });
  }

  private static void mkfifo(Path path) throws IOException {
    try {
      Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
      assertThat(mkfifo.waitFor()).isZero();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  // ---- trees of extreme shape ----

  /**
   * 23 to 30 s on two shared cores (5 s creating the files, 15 to 20 s the first run, 1.5 s the
   * no-op rerun): in the default build, tagged so a quick local run can leave it out ({@code
   * -DexcludedGroups=slow}).
   */
  @Test
  @Tag("slow")
  void hundredThousandFilesInOneDirectory() throws Exception {
    int count = 100_000;
    Path dir = Files.createDirectory(tree.resolve("flat"));
    for (int i = 0; i < count; i++) {
      Files.writeString(dir.resolve(String.format("f%06d.txt", i)), "entry " + i + "\n");
    }
    write("flat/f077777.txt", "entry 77777 needle\n");
    fixture.embed = false;

    PipelineFixture.Result first = fixture.run();
    assertThat(first.summary().filesIndexed()).isEqualTo(count);
    assertThat(first.summary().filesFailed()).isZero();
    assertThat(first.summary().filesSkipped()).isZero();
    assertThat(lexical("needle")).containsExactly("flat/f077777.txt");

    // A no-op over as many files as the manifest holds is the index agreeing with the tree (the
    // file-by-file check of the small trees is left out: it would read every file again).
    PipelineFixture.Result second = fixture.run();
    assertNoOp(second);
    assertThat(second.summary().filesUnchanged()).isEqualTo(count);
    try (QuarryIndex index = QuarryIndex.openForReading(indexDir)) {
      assertThat(index.stats().files()).isEqualTo(count);
      assertThat(index.stats().chunks()).isEqualTo(count);
    }
  }

  @Test
  void fiveHundredLevelsOfNestedDirectories() throws Exception {
    int depth = 500;
    List<Integer> depthsWithFiles = List.of(1, 2, 100, 250, 499, 500);
    StringBuilder path = new StringBuilder();
    for (int level = 1; level <= depth; level++) {
      path.append("d/");
      if (depthsWithFiles.contains(level)) {
        write(path + "at-" + level + ".txt", "Sediment layer " + level + ".\n");
      }
    }
    write(path + "abyss.txt", "Anglerfish glow in the abyss.\n");
    try {
      PipelineFixture.Result first = fixture.run();
      assertThat(first.summary().filesIndexed()).isEqualTo(depthsWithFiles.size() + 1);
      assertThat(first.summary().filesFailed()).isZero();
      assertThat(lexical("anglerfish")).containsExactly(path + "abyss.txt");
      assertIndexMatchesTree();
      assertNoOp(fixture.run());

      // Sequentially too: the walk is a loop there, and a completer per directory in parallel.
      fixture.scan = fixture.scan.withParallelism(1);
      assertNoOp(fixture.run());
    } finally {
      // Faster than @TempDir's clean-up, which takes about 2 s at this depth (and minutes at
      // 2,000).
      deleteTree(tree.resolve("d"));
    }
  }

  // ---- helpers ----

  private List<String> lexical(String query) throws IOException {
    return fixture.paths(fixture.search(query, SearchMode.LEXICAL, 10)).stream()
        .distinct()
        .sorted()
        .toList();
  }

  /** A run that found the tree exactly as indexed: it read, wrote, embedded and deleted nothing. */
  private void assertNoOp(PipelineFixture.Result r) {
    RunSummary s = r.summary();
    assertThat(r.outcomes())
        .allSatisfy(
            o ->
                assertThat(o)
                    .isInstanceOfAny(FileOutcome.Unchanged.class, FileOutcome.Skipped.class));
    assertThat(s.filesIndexed()).isZero();
    assertThat(s.filesDeleted()).isZero();
    assertThat(s.filesFailed()).isZero();
    assertThat(s.filesRehashed()).isZero();
    assertThat(s.bytesRead()).isZero();
    assertThat(s.chunksWritten()).isZero();
    assertThat(fixture.model.embedded).isEmpty();
  }

  /**
   * The manifest lists exactly the tree's non-empty files, with their size, modification time and
   * content hash; each file has as many chunk documents as its entry says, and there are no others.
   */
  private void assertIndexMatchesTree() throws IOException {
    Map<String, FileState> onDisk = new TreeMap<>();
    try (Stream<Path> files = Files.walk(tree)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        byte[] content = Files.readAllBytes(file);
        if (content.length > 0) {
          onDisk.put(
              tree.relativize(file).toString(),
              new FileState(
                  content.length,
                  Files.getLastModifiedTime(file).toMillis(),
                  FileProcessor.sha256(content)));
        }
      }
    }
    Map<String, FileState> indexed = new TreeMap<>();
    try (QuarryIndex index = QuarryIndex.openForReading(indexDir);
        ManifestSnapshot manifest = index.manifestSnapshot()) {
      long chunks = 0;
      IndexSearcher searcher = index.acquireSearcher();
      try {
        for (int slot = 0; slot < manifest.size(); slot++) {
          ManifestEntry e = manifest.entry(slot);
          indexed.put(e.path(), new FileState(e.size(), e.mtimeMillis(), e.contentHash()));
          assertThat(chunkDocuments(searcher, e.file()))
              .as("chunks of %s", e.path())
              .isEqualTo(e.chunkCount());
          chunks += e.chunkCount();
        }
      } finally {
        index.releaseSearcher(searcher);
      }
      assertThat(index.stats().chunks()).as("chunk documents in the index").isEqualTo(chunks);
    }
    assertThat(indexed).isEqualTo(onDisk);
  }

  private record FileState(long size, long mtimeMillis, String contentHash) {}

  private static int chunkDocuments(IndexSearcher searcher, String file) throws IOException {
    return searcher.count(
        new BooleanQuery.Builder()
            .add(new TermQuery(new Term(IndexSchema.FILE, file)), BooleanClause.Occur.FILTER)
            .add(
                new TermQuery(new Term(IndexSchema.TYPE, IndexSchema.TYPE_CHUNK)),
                BooleanClause.Occur.FILTER)
            .build());
  }

  private void write(String path, String content) throws IOException {
    Path file = tree.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardOpenOption.APPEND);
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size);
    }
  }

  private static byte[] read(Path file, long limit) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes((int) limit);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** The file system's listing in name order, as the scanner's own. */
  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
