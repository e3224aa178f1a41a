package dev.quarry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.quarry.analysis.CodeAnalyzer;
import dev.quarry.check.CheckReport;
import dev.quarry.check.IndexChecker;
import dev.quarry.check.IndexProblem;
import dev.quarry.check.IndexProblem.Kind;
import dev.quarry.index.IndexInventory;
import dev.quarry.index.IndexSchema;
import dev.quarry.index.QuarryIndex;
import dev.quarry.store.IndexLockedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link IndexChecker} on indexes built by the real pipeline, then broken on purpose with a raw
 * Lucene writer the way a bug in the pipeline could break them. (In this package for its fixture.)
 */
class IndexCheckerTest {
  @TempDir Path tree;
  @TempDir Path indexDir;
  PipelineFixture fixture;

  @BeforeEach
  void setUp() throws Exception {
    Files.writeString(
        tree.resolve("a.md"), "# Alpha\n\nRivers and lakes.\n\n## More\n\nMountains too.\n");
    Files.writeString(tree.resolve("b.txt"), "Bravo text about compilers and parsers.\n");
    Files.writeString(
        tree.resolve("c.java"),
        "class Charlie { void run() { System.out.println(\"charlie\"); } }\n");
    fixture = new PipelineFixture(tree, indexDir);
  }

  @Test
  void aFreshIndexIsConsistent() throws Exception {
    fixture.run();
    CheckReport report = check();
    assertThat(report.consistent()).as("%s", report).isTrue();
    CheckReport thorough = IndexChecker.check(indexDir, IndexChecker.Depth.STRUCTURES);
    assertThat(thorough.consistent()).as("%s", thorough).isTrue();
    assertThat(thorough.depth()).isEqualTo(IndexChecker.Depth.STRUCTURES);
    assertThat(report.files()).isEqualTo(3);
    assertThat(report.chunks()).isEqualTo(4); // a.md has two sections
    assertThat(report.vectors()).isEqualTo(4);
    assertThat(report.problems()).isEmpty();
    assertThat(report.roots()).containsExactly(tree.toRealPath().toString());
  }

  @Test
  void aFileRemovedFromTheIndexLeavesNoProblem() throws Exception {
    // Enough files that removing one leaves its segment under the merge policy's 20% of deletes:
    // its documents stay in the segment, deleted, and its file term stays in the dictionary.
    for (int i = 0; i < 8; i++) {
      Files.writeString(tree.resolve("n" + i + ".txt"), "note number " + i + "\n");
    }
    fixture.run();
    String c = file("c.java");
    try (QuarryIndex index = QuarryIndex.openForWriting(indexDir)) {
      index.deleteFile(c);
      index.commit(index.commitData());
    }
    try (Directory dir = FSDirectory.open(indexDir);
        DirectoryReader reader = DirectoryReader.open(dir)) {
      assertThat(reader.numDeletedDocs()).isPositive();
    }
    CheckReport report = check();
    assertThat(report.consistent()).as("%s", report).isTrue();
    assertThat(report.files()).isEqualTo(10);
    assertThat(report.chunks()).isEqualTo(11);
  }

  @Test
  void aMissingChunkIsACountMismatchNamingTheFileAndTheOrdinal() throws Exception {
    fixture.run();
    String a = file("a.md");
    Document second = storedChunk(a, 1);
    withRawWriter(w -> w.deleteDocuments(chunkQuery(a, second.get(IndexSchema.CHUNK_HASH))));

    CheckReport report = check();
    assertThat(report.problems())
        .containsExactly(
            new IndexProblem(
                Kind.CHUNK_COUNT, a, "1 chunk document, the manifest says 2 (ordinal 1 missing)"));
    assertThat(report.problemsByKind()).isEqualTo(Map.of(Kind.CHUNK_COUNT, 1L));
    assertThat(report.inconsistentFiles()).isEqualTo(1);
    assertThat(report.chunks()).isEqualTo(3);
    assertThat(report.damaged()).isFalse();
  }

  @Test
  void chunksOfAFileWithoutManifestEntryAreOrphans() throws Exception {
    fixture.run();
    String ghost = tree.toRealPath().resolve("ghost.txt").toString();
    withRawWriter(w -> w.addDocument(chunk(ghost, "ghost.txt", 0, "boo")));

    CheckReport report = check();
    assertThat(report.problems())
        .containsExactly(
            new IndexProblem(Kind.ORPHAN_CHUNKS, ghost, "1 chunk document and no manifest entry"));
    assertThat(report.files()).isEqualTo(3);
  }

  @Test
  void aSecondManifestEntryForAFileIsNamed() throws Exception {
    fixture.run();
    String b = file("b.txt");
    withRawWriter(w -> w.addDocument(manifestWithoutColumns(b, "b.txt")));

    CheckReport report = check();
    assertThat(report.problems())
        .containsExactly(new IndexProblem(Kind.DUPLICATE_MANIFEST, b, "2 manifest entries"));
  }

  @Test
  void aManifestEntryWithoutItsColumnsIsNamed() throws Exception {
    fixture.run();
    String b = file("b.txt");
    withRawWriter(
        w -> {
          w.deleteDocuments(new Term(IndexSchema.MANIFEST_ID, b));
          w.addDocument(manifestWithoutColumns(b, "b.txt"));
        });

    CheckReport report = check();
    assertThat(report.problems())
        .extracting(IndexProblem::kind, IndexProblem::file)
        .containsExactly(tuple(Kind.UNREADABLE_MANIFEST, b));
  }

  @Test
  void aChunkWithoutVectorIsNamedWhenTheManifestRecordsAModel() throws Exception {
    fixture.run();
    String c = file("c.java");
    Document only = storedChunk(c, 0);
    withRawWriter(
        w ->
            w.updateDocuments(
                chunkQuery(c, only.get(IndexSchema.CHUNK_HASH)),
                List.of(chunk(c, "c.java", 0, only.get(IndexSchema.TEXT)))));

    CheckReport report = check();
    assertThat(report.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo(Kind.MISSING_VECTORS);
              assertThat(p.file()).isEqualTo(c);
              assertThat(p.detail())
                  .startsWith("1 of 1 chunk without a vector")
                  .contains(fixture.model.identity().id());
            });
    assertThat(report.vectors()).isEqualTo(3);
  }

  @Test
  void chunksWithoutVectorsAreFineWhileTheManifestRecordsNoModel() throws Exception {
    fixture.embed = false;
    fixture.run();
    CheckReport report = check();
    assertThat(report.consistent()).as("%s", report).isTrue();
    assertThat(report.vectors()).isZero();
  }

  @Test
  void aChunkWithAnotherPathOrARepeatedOrdinalIsNamed() throws Exception {
    fixture.embed = false;
    fixture.run();
    String a = file("a.md");
    String c = file("c.java");
    Document first = storedChunk(a, 0);
    Document second = storedChunk(a, 1);
    Document only = storedChunk(c, 0);
    withRawWriter(
        w -> {
          // a.md: still two chunks, but both claim ordinal 0.
          w.updateDocuments(
              chunkQuery(a, second.get(IndexSchema.CHUNK_HASH)),
              List.of(chunk(a, "a.md", 0, first.get(IndexSchema.TEXT))));
          w.updateDocuments(
              chunkQuery(c, only.get(IndexSchema.CHUNK_HASH)),
              List.of(chunk(c, "src/c.java", 0, only.get(IndexSchema.TEXT))));
        });

    CheckReport report = check();
    assertThat(report.problems())
        .containsExactly(
            new IndexProblem(Kind.ORDINALS, a, "ordinal 1 missing; ordinal 0 repeated"),
            new IndexProblem(
                Kind.PATH_MISMATCH,
                c,
                "1 of 1 chunk with path 'src/c.java', the manifest 'c.java'"));
    assertThat(report.inconsistentFiles()).isEqualTo(2);
  }

  @Test
  void repairRemovesTheInconsistentFilesAndTheNextRunIndexesThemAgain() throws Exception {
    fixture.run();
    String a = file("a.md");
    String b = file("b.txt");
    String ghost = tree.toRealPath().resolve("ghost.txt").toString();
    Document second = storedChunk(a, 1);
    withRawWriter(
        w -> {
          w.deleteDocuments(chunkQuery(a, second.get(IndexSchema.CHUNK_HASH)));
          w.addDocument(manifestWithoutColumns(b, "b.txt"));
          w.addDocument(chunk(ghost, "ghost.txt", 0, "boo"));
        });
    Map<String, String> commitData = commitData();
    assertThat(check().inconsistentFiles()).isEqualTo(3);

    assertThat(IndexChecker.repair(indexDir)).isEqualTo(3);

    CheckReport repaired = check();
    assertThat(repaired.consistent()).as("%s", repaired).isTrue();
    assertThat(repaired.files()).isEqualTo(1);
    assertThat(indexedPaths()).containsExactly("c.java");
    assertThat(commitData()).isEqualTo(commitData);
    assertThat(IndexChecker.repair(indexDir)).isZero();

    PipelineFixture.Result next = fixture.run();
    assertThat(next.paths(FileOutcome.Indexed.class)).containsExactly("a.md", "b.txt");
    CheckReport after = check();
    assertThat(after.consistent()).as("%s", after).isTrue();
    assertThat(after.chunks()).isEqualTo(4);
    assertThat(indexedPaths()).containsExactly("a.md", "b.txt", "c.java");
  }

  @Test
  void damagedFilesAreReportedWithTheRootsToRebuildFrom() throws Exception {
    fixture.run();
    Path largest;
    try (Stream<Path> files = Files.list(indexDir)) {
      largest =
          files
              .filter(
                  p ->
                      !p.getFileName().toString().startsWith("segments")
                          && !p.getFileName().toString().equals("write.lock"))
              .max(Comparator.comparingLong(IndexCheckerTest::size))
              .orElseThrow();
    }
    flipByteInTheMiddle(largest);

    CheckReport report = check();
    assertThat(report.damaged()).isTrue();
    assertThat(report.consistent()).isFalse();
    assertThat(report.damage()).anySatisfy(line -> assertThat(line).startsWith("segment _"));
    assertThat(report.roots()).containsExactly(tree.toRealPath().toString());
    assertThat(report.problems())
        .isEmpty(); // not scanned: a damaged index cannot be trusted to read
  }

  @Test
  void checkAndRepairSayWhenARunIsWritingTheIndex() throws Exception {
    fixture.run();
    try (QuarryIndex writing = QuarryIndex.openForWriting(indexDir)) {
      assertThat(writing.hasUncommittedChanges()).isFalse();
      assertThatThrownBy(this::check)
          .isInstanceOf(IndexLockedException.class)
          .hasMessageContaining("pid " + ProcessHandle.current().pid());
      assertThatThrownBy(() -> IndexChecker.repair(indexDir))
          .isInstanceOf(IndexLockedException.class);
    }
    assertThat(check().consistent()).isTrue();
  }

  // --- helpers: the index as the pipeline left it, and a raw writer to break it

  private CheckReport check() throws IOException {
    return IndexChecker.check(indexDir, IndexChecker.Depth.CHECKSUMS);
  }

  private interface WriterAction {
    void apply(IndexWriter writer) throws IOException;
  }

  private void withRawWriter(WriterAction action) throws IOException {
    IndexWriterConfig config =
        new IndexWriterConfig(new CodeAnalyzer()).setOpenMode(IndexWriterConfig.OpenMode.APPEND);
    try (Directory dir = FSDirectory.open(indexDir);
        IndexWriter writer = new IndexWriter(dir, config)) {
      action.apply(writer);
      writer.commit(); // keeps the commit data of the commit it opened
    }
  }

  /** The file id the index records for a path under the tree. */
  private String file(String path) throws IOException {
    try (QuarryIndex index = QuarryIndex.openForReading(indexDir)) {
      List<String> files = new ArrayList<>();
      IndexInventory.forEachFile(
          index,
          e -> {
            if (e.path().equals(path)) {
              files.add(e.file());
            }
          });
      return files.getFirst();
    }
  }

  private List<String> indexedPaths() throws IOException {
    try (QuarryIndex index = QuarryIndex.openForReading(indexDir)) {
      List<String> paths = new ArrayList<>();
      IndexInventory.forEachFile(index, e -> paths.add(e.path()));
      return paths;
    }
  }

  private Map<String, String> commitData() throws IOException {
    try (QuarryIndex index = QuarryIndex.openForReading(indexDir)) {
      return index.commitData();
    }
  }

  private Document storedChunk(String file, int ordinal) throws IOException {
    try (Directory dir = FSDirectory.open(indexDir);
        DirectoryReader reader = DirectoryReader.open(dir)) {
      IndexSearcher searcher = new IndexSearcher(reader);
      Query chunks =
          new BooleanQuery.Builder()
              .add(new TermQuery(new Term(IndexSchema.FILE, file)), BooleanClause.Occur.FILTER)
              .add(
                  new TermQuery(new Term(IndexSchema.TYPE, IndexSchema.TYPE_CHUNK)),
                  BooleanClause.Occur.FILTER)
              .build();
      StoredFields stored = reader.storedFields();
      for (ScoreDoc hit : searcher.search(chunks, 100).scoreDocs) {
        Document doc = stored.document(hit.doc);
        if (doc.getField(IndexSchema.ORDINAL).numericValue().intValue() == ordinal) {
          return doc;
        }
      }
      throw new AssertionError("no chunk " + ordinal + " of " + file);
    }
  }

  private static Query chunkQuery(String file, String chunkHash) {
    return new BooleanQuery.Builder()
        .add(new TermQuery(new Term(IndexSchema.FILE, file)), BooleanClause.Occur.FILTER)
        .add(new TermQuery(new Term(IndexSchema.CHUNK_HASH, chunkHash)), BooleanClause.Occur.FILTER)
        .add(
            new TermQuery(new Term(IndexSchema.TYPE, IndexSchema.TYPE_CHUNK)),
            BooleanClause.Occur.FILTER)
        .build();
  }

  /** A chunk document as the index writes one, without a vector. */
  private static Document chunk(String file, String path, int ordinal, String text) {
    Document doc = new Document();
    doc.add(new StringField(IndexSchema.TYPE, IndexSchema.TYPE_CHUNK, Field.Store.NO));
    doc.add(new StringField(IndexSchema.FILE, file, Field.Store.YES));
    doc.add(new StringField(IndexSchema.PATH, path, Field.Store.YES));
    doc.add(new TextField(IndexSchema.TEXT, text, Field.Store.YES));
    doc.add(new StoredField(IndexSchema.ORDINAL, ordinal));
    doc.add(
        new StringField(
            IndexSchema.CHUNK_HASH, "raw-" + ordinal + "-" + text.hashCode(), Field.Store.YES));
    return doc;
  }

  /**
   * A document typed as a manifest entry, without the doc-values columns the manifest is read from.
   */
  private static Document manifestWithoutColumns(String file, String path) {
    Document doc = new Document();
    doc.add(new StringField(IndexSchema.TYPE, IndexSchema.TYPE_FILE, Field.Store.NO));
    doc.add(new StringField(IndexSchema.FILE, file, Field.Store.YES));
    doc.add(new StringField(IndexSchema.MANIFEST_ID, file, Field.Store.NO));
    doc.add(new StringField(IndexSchema.PATH, path, Field.Store.YES));
    return doc;
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void flipByteInTheMiddle(Path file) throws IOException {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long at = channel.size() / 2;
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, at);
      one.put(0, (byte) (one.get(0) ^ 0x5A)).rewind();
      channel.write(one, at);
    }
  }
}
