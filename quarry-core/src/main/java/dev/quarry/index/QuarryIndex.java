package dev.quarry.index;

import dev.quarry.analysis.CodeAnalyzer;
import dev.quarry.embed.EmbeddedChunk;
import dev.quarry.fs.OwnerOnly;
import dev.quarry.manifest.ManifestEntry;
import dev.quarry.manifest.ManifestSnapshot;
import dev.quarry.store.IndexBusyException;
import dev.quarry.store.IndexLock;
import dev.quarry.store.IndexLockedException;
import dev.quarry.store.IndexMissingException;
import dev.quarry.store.IndexStats;
import dev.quarry.store.IndexStore;
import dev.quarry.store.ManifestVisitor;
import dev.quarry.store.StoreView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FileSwitchDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.store.NIOFSDirectory;

/**
 * One Quarry index on disk: a Lucene index holding the chunks (BM25 text, int8 HNSW vectors) and
 * the file manifest together, so that one commit makes both durable at once and they cannot drift.
 *
 * <p>Opened for writing, it holds Lucene's write lock (one writer per index); opened for reading,
 * it takes no lock and sees the last commit. Searches share searchers through a {@link
 * SearcherManager}; call {@link #refresh()} to see a newer commit. Writes are not thread-safe
 * against each other only in the sense of ordering: {@link IndexWriter} itself is, so several
 * pipeline threads may call {@link #writeFile} at once.
 */
public final class QuarryIndex implements IndexStore {
  private final Path dir;
  private final Directory directory;
  private final IndexWriter writer; // null when read-only
  private final IndexLock lock; // null when read-only
  private final SearcherManager searchers;
  private List<String> folderNotices; // until taken

  private QuarryIndex(
      Path dir, Directory directory, IndexWriter writer, IndexLock lock, List<String> folderNotices)
      throws IOException {
    this.dir = dir;
    this.folderNotices = folderNotices;
    this.directory = directory;
    this.writer = writer;
    this.lock = lock;
    if (writer != null && !DirectoryReader.indexExists(directory)) {
      // An empty first commit, so readers (and the manifest lookups below) always have one.
      writer.commit();
    }
    this.searchers = new SearcherManager(directory, null);
  }

  /** Whether {@code dir} holds an index. */
  public static boolean exists(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Directory d = FSDirectory.open(dir)) {
      return DirectoryReader.indexExists(d);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Opens (creating if needed) the index in {@code dir} for writing; takes its {@link IndexLock}.
   *
   * @throws IndexLockedException when another run is writing it
   */
  public static QuarryIndex openForWriting(Path dir) throws IOException {
    return openForWriting(dir, "write", UnaryOperator.identity());
  }

  /**
   * As {@link #openForWriting(Path)}, naming the kind of run on the lock ("index", "sync", ...) and
   * wrapping the store: a seam for fault injection (a full disk, a read-only store) and for
   * instrumenting I/O.
   */
  public static QuarryIndex openForWriting(Path dir, String kind, UnaryOperator<Directory> store)
      throws IOException {
    return openForWriting(dir, kind, store, VectorReads.POSITIONAL);
  }

  /**
   * As {@link #openForWriting(Path, String, UnaryOperator)}, reading vectors back as {@code reads}.
   */
  public static QuarryIndex openForWriting(
      Path dir, String kind, UnaryOperator<Directory> store, VectorReads reads) throws IOException {
    try {
      return open(dir, kind, store, false, reads);
    } catch (IOException e) {
      if (e.getClass() != IOException.class) {
        throw e; // a named failure (locked, no access to a path) says what and where already
      }
      // A plain I/O error ("No space left on device") names neither the index nor the step.
      throw new IOException("cannot open index " + dir + " for writing: " + e.getMessage(), e);
    }
  }

  /**
   * Opens the index for a writer that stays open across many runs (a server keeping the index
   * live), holding its lock meanwhile. A commit does not wait for merges of the segments it flushed
   * (Lucene waits up to half a second by default): a server commits after every saved file, and the
   * file should be searchable at once; merges go on in the background.
   */
  public static QuarryIndex openResident(Path dir, UnaryOperator<Directory> store)
      throws IOException {
    try {
      return open(dir, "serve", store, true, VectorReads.POSITIONAL);
    } catch (IOException e) {
      if (e.getClass() != IOException.class) {
        throw e;
      }
      throw new IOException("cannot open index " + dir + " for writing: " + e.getMessage(), e);
    }
  }

  private static QuarryIndex open(
      Path dir,
      String kind,
      UnaryOperator<Directory> store,
      boolean resident,
      VectorReads vectorReads)
      throws IOException {
    List<String> notices = IndexFolder.prepare(dir);
    IndexLock lock = IndexLock.acquire(dir, IndexLock.Holder.current(0, kind));
    Directory directory = null;
    IndexWriter writer = null;
    try {
      directory = store.apply(new OwnerOnlyFiles(writingDirectory(dir, vectorReads), dir));
      IndexWriterConfig config = new IndexWriterConfig(new CodeAnalyzer());
      config.setCodec(new QuarryCodec());
      config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
      // Chunks are small; a larger buffer means fewer, larger segments and fewer merges.
      config.setRAMBufferSizeMB(64);
      config.setCommitOnClose(false);
      config.setMergeScheduler(new QuietMergeScheduler());
      config.setMergePolicy(HeapBoundedMergePolicy.forThisHeap(QuietMergeScheduler.THREADS));
      if (resident) {
        config.setMaxFullFlushMergeWaitMillis(0);
      }
      try {
        writer = new IndexWriter(directory, config);
        restrictIfThere(dir.resolve(IndexWriter.WRITE_LOCK_NAME)); // made by the lock factory
      } catch (LockObtainFailedException e) {
        throw new IndexBusyException(
            "another writer holds the index at " + dir + " (a check or a repair)", e);
      }
      return new QuarryIndex(dir, directory, writer, lock, notices);
    } catch (IOException | RuntimeException e) {
      try {
        if (writer != null) {
          writer.rollback();
        }
        if (directory != null) {
          directory.close();
        }
      } finally {
        lock.close();
      }
      throw e;
    }
  }

  private static void restrictIfThere(Path file) throws IOException {
    if (Files.exists(file)) {
      OwnerOnly.restrict(file);
    }
  }

  /**
   * Positional reads, not memory maps, for a writing run: merges read whole segments, and mapped
   * pages would count in the process's resident memory (RSS) until the segments close (333 MB of it
   * on a 300k-file first index). The file pages stay in the OS page cache either way. Norms are the
   * exception: a flush reads them back a value at a time for every posting, which through 1 KB
   * positional reads cost a third of a first index's time; they are small (a byte per document and
   * field), so they stay mapped. Vectors are mapped too when {@code vectorReads} says so. Searches
   * (openForReading) map everything.
   */
  private static Directory writingDirectory(Path dir, VectorReads vectorReads) throws IOException {
    Set<String> mapped =
        vectorReads == VectorReads.MAPPED ? MAPPED_WITH_VECTORS : Set.of("nvd", "nvm");
    return new FileSwitchDirectory(mapped, new MMapDirectory(dir), new NIOFSDirectory(dir), true);
  }

  /**
   * Norms, and the vectors a merge compares while it builds the merged segment's graph: the raw
   * ({@code vec}) and quantized ({@code veq}) vectors and the graph ({@code vex}). The temporary
   * copies a merge writes of them go with them: their names carry the extension.
   */
  private static final Set<String> MAPPED_WITH_VECTORS = Set.of("nvd", "nvm", "vec", "veq", "vex");

  /** Opens the index in {@code dir} read-only; it must exist. */
  public static QuarryIndex openForReading(Path dir) throws IOException {
    if (!exists(dir)) {
      throw new IndexMissingException(dir);
    }
    return new QuarryIndex(dir, FSDirectory.open(dir), null, null, List.of());
  }

  /**
   * What opening for writing did to the index folder that its user should hear of (an index open to
   * other users made owner-only, or one left open because the folder holds other files too); given
   * once, to the first run that writes through this index.
   */
  public synchronized List<String> takeFolderNotices() {
    List<String> notices = folderNotices;
    folderNotices = List.of();
    return notices;
  }

  /** The write lock this index holds (who is writing, and who was before); writers only. */
  @Override
  public IndexLock lock() {
    if (lock == null) {
      throw new IllegalStateException("index " + dir + " is open read-only");
    }
    return lock;
  }

  public Path directory() {
    return dir;
  }

  @Override
  public String location() {
    return dir.toString();
  }

  /** The user data of the last commit (model identity, roots, last run). */
  @Override
  public Map<String, String> commitData() throws IOException {
    IndexSearcher searcher = searchers.acquire();
    try {
      DirectoryReader reader = (DirectoryReader) searcher.getIndexReader();
      return Map.copyOf(reader.getIndexCommit().getUserData());
    } finally {
      searchers.release(searcher);
    }
  }

  /**
   * The manifest of the last commit, compact, for change detection. It keeps that commit open for
   * reading full entries: close it when done.
   */
  @Override
  public ManifestSnapshot manifestSnapshot() throws IOException {
    IndexSearcher searcher = searchers.acquire();
    try {
      return LuceneManifest.load(searchers, searcher);
    } catch (IOException | RuntimeException e) {
      searchers.release(searcher);
      throw e;
    }
  }

  @Override
  public StoreView view() throws IOException {
    return new LuceneStoreView(searchers);
  }

  /**
   * A vector already in the last commit for a chunk with this hash, if any: a renamed, copied or
   * partly edited file gets the vectors of its unchanged chunks back instead of re-embedding them.
   */
  @Override
  public Optional<float[]> storedVector(String chunkHash) throws IOException {
    IndexSearcher searcher = searchers.acquire();
    try {
      TopDocs hits = searcher.search(new TermQuery(new Term(IndexSchema.CHUNK_HASH, chunkHash)), 8);
      for (ScoreDoc hit : hits.scoreDocs) {
        LeafReaderContext leaf =
            searcher
                .getIndexReader()
                .leaves()
                .get(
                    org.apache.lucene.index.ReaderUtil.subIndex(
                        hit.doc, searcher.getIndexReader().leaves()));
        FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
        if (values == null) {
          continue;
        }
        KnnVectorValues.DocIndexIterator it = values.iterator();
        int local = hit.doc - leaf.docBase;
        if (it.advance(local) == local) {
          return Optional.of(values.vectorValue(it.index()).clone());
        }
      }
      return Optional.empty();
    } finally {
      searchers.release(searcher);
    }
  }

  @Override
  public long forEachFile(ManifestVisitor visitor) throws IOException {
    return IndexInventory.forEachFile(this, visitor::visit);
  }

  @Override
  public void writeFile(ManifestEntry entry, List<EmbeddedChunk> chunks, boolean newToStore)
      throws IOException {
    if (newToStore) {
      addNewFile(entry, chunks);
    } else {
      replaceFile(entry, chunks);
    }
  }

  /** Replaces everything indexed for {@code entry.file()} by these chunks and this entry. */
  private void replaceFile(ManifestEntry entry, List<EmbeddedChunk> chunks) throws IOException {
    requireWriter()
        .updateDocuments(
            new Term(IndexSchema.FILE, entry.file()), LuceneDocuments.file(entry, chunks));
  }

  /**
   * Adds a file the last commit does not have and this writer has not written: as {@link
   * #replaceFile} without the delete by term, which on a first index would look the file up in
   * every segment for nothing.
   */
  private void addNewFile(ManifestEntry entry, List<EmbeddedChunk> chunks) throws IOException {
    requireWriter().addDocuments(LuceneDocuments.file(entry, chunks));
  }

  /** Replaces the manifest entry alone (the file's stat changed, its content did not). */
  @Override
  public void updateManifest(ManifestEntry entry) throws IOException {
    requireWriter()
        .updateDocument(
            new Term(IndexSchema.MANIFEST_ID, entry.file()), LuceneDocuments.manifest(entry));
  }

  /** Removes a file and its chunks. */
  @Override
  public void deleteFile(String file) throws IOException {
    requireWriter().deleteDocuments(new Term(IndexSchema.FILE, file));
  }

  /** Makes every change so far durable, with {@code userData} as the commit's data. */
  @Override
  public void commit(Map<String, String> userData) throws IOException {
    IndexWriter w = requireWriter();
    w.setLiveCommitData(userData.entrySet());
    w.commit();
    refresh();
  }

  /** Whether anything was written since the last commit. */
  @Override
  public boolean hasUncommittedChanges() {
    return requireWriter().hasUncommittedChanges();
  }

  /**
   * The error that closed the writer (a full disk during a flush or merge), or null: after one,
   * every write fails with "this IndexWriter is closed", which names no cause.
   */
  @Override
  public Throwable writeFailure() {
    return writer == null ? null : writer.getTragicException();
  }

  /** Lets searches see the latest commit. */
  public void refresh() throws IOException {
    searchers.maybeRefreshBlocking();
  }

  public IndexSearcher acquireSearcher() throws IOException {
    return searchers.acquire();
  }

  public void releaseSearcher(IndexSearcher searcher) throws IOException {
    searchers.release(searcher);
  }

  /** Counts of the last commit. */
  @Override
  public IndexStats stats() throws IOException {
    IndexSearcher searcher = searchers.acquire();
    try {
      long files = searcher.count(new TermQuery(new Term(IndexSchema.TYPE, IndexSchema.TYPE_FILE)));
      long chunks =
          searcher.count(new TermQuery(new Term(IndexSchema.TYPE, IndexSchema.TYPE_CHUNK)));
      long vectors = 0;
      for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
        FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
        if (values != null && leaf.reader().getLiveDocs() == null) {
          vectors += values.size();
        } else if (values != null) {
          KnnVectorValues.DocIndexIterator it = values.iterator();
          var live = leaf.reader().getLiveDocs();
          for (int d = it.nextDoc();
              d != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS;
              d = it.nextDoc()) {
            if (live == null || live.get(d)) {
              vectors++;
            }
          }
        }
      }
      return new IndexStats(files, chunks, vectors, sizeOnDisk());
    } finally {
      searchers.release(searcher);
    }
  }

  private long sizeOnDisk() {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .mapToLong(
              p -> {
                try {
                  return Files.isRegularFile(p) ? Files.size(p) : 0;
                } catch (IOException e) {
                  return 0; // a file merged away while we list is no longer part of the index
                }
              })
          .sum();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list index directory " + dir, e);
    }
  }

  private IndexWriter requireWriter() {
    if (writer == null) {
      throw new IllegalStateException("index " + dir + " is open read-only");
    }
    return writer;
  }

  @Override
  public void close() throws IOException {
    try {
      searchers.close();
    } finally {
      try {
        if (writer != null) {
          // Uncommitted changes are dropped on purpose: only commits count (crash semantics).
          writer.rollback();
        }
      } finally {
        try {
          directory.close();
        } finally {
          if (lock != null) {
            lock.close();
          }
        }
      }
    }
  }
}
