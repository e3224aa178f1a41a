package dev.quarry.check;

import dev.quarry.check.IndexProblem.Kind;
import dev.quarry.index.QuarryIndex;
import dev.quarry.store.IndexBusyException;
import dev.quarry.store.IndexLock;
import dev.quarry.store.IndexLockedException;
import dev.quarry.store.IndexMetadata;
import dev.quarry.store.IndexMissingException;
import dev.quarry.store.IndexStore;
import dev.quarry.store.RemoteStore;
import dev.quarry.store.StoredFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * Checks an index: first Lucene's own check of its files ({@link CheckIndex}, to a {@link Depth}),
 * then, when that passes, that every file's manifest entry and chunks agree (see {@link
 * IndexProblem.Kind}). Files that disagree can be {@linkplain #repair repaired} by removing them,
 * so that the next run indexes them again; a damaged index has to be rebuilt.
 */
public final class IndexChecker {
  /** Problems a report lists one by one; all are counted. */
  public static final int LISTED_PROBLEMS = 100;

  private IndexChecker() {}

  /** How far Lucene's own check goes. */
  public enum Depth {
    /**
     * Verifies every file's checksum: finds any byte changed on disk since it was written (a second
     * for a million files' index).
     */
    CHECKSUMS(CheckIndex.Level.MIN_LEVEL_FOR_CHECKSUM_CHECKS),
    /**
     * Also decodes every structure (postings, stored fields, doc values, points, vectors and their
     * graph): finds what was written wrong in the first place, at the cost of reading it all (72 s
     * against 1 s for a million files' index).
     */
    STRUCTURES(CheckIndex.Level.MIN_LEVEL_FOR_INTEGRITY_CHECKS);

    private final int luceneLevel;

    Depth(int luceneLevel) {
      this.luceneLevel = luceneLevel;
    }
  }

  /**
   * Checks the last commit of the index in {@code dir}: its files to {@code depth}, then its files'
   * manifest entries against their chunks. Lucene's check needs the index to itself, so this holds
   * the index's write lock while it runs (searches can go on).
   *
   * @throws IndexLockedException when a run is writing the index (naming it)
   * @throws IndexBusyException when another writer (a check, a repair) holds the index
   * @throws IndexMissingException when {@code dir} holds no index
   */
  public static CheckReport check(Path dir, Depth depth) throws IOException {
    if (!QuarryIndex.exists(dir)) {
      throw new IndexMissingException(dir);
    }
    // Quarry's lock first: a run writing the index is then named, not just "locked".
    IndexLock lock = IndexLock.acquire(dir, IndexLock.Holder.current(0, "check"));
    try {
      return checkHoldingLock(dir, depth);
    } catch (LockObtainFailedException e) {
      throw new IndexBusyException(
          "a Quarry run is writing the index at "
              + dir
              + " (or another check is running:"
              + " either holds the index's write lock)",
          e);
    } finally {
      lock.close();
    }
  }

  private static CheckReport checkHoldingLock(Path dir, Depth depth) throws IOException {
    try (Directory directory = FSDirectory.open(dir);
        CheckIndex lucene = new CheckIndex(directory)) {
      // Set, not left to the default: a CheckIndex made in code starts at level 0.
      lucene.setLevel(depth.luceneLevel);
      CheckIndex.Status status;
      try {
        status = lucene.checkIndex();
      } catch (IOException | RuntimeException e) {
        return damaged(
            dir, depth, List.of(), "Lucene's CheckIndex could not run: " + e.getMessage());
      }
      List<String> roots =
          status.userData == null ? List.of() : IndexMetadata.roots(status.userData);
      List<String> damage = LuceneIntegrity.damage(status);
      if (!damage.isEmpty()) {
        return new CheckReport(
            dir.toString(), depth, roots, damage, 0, 0, 0, Map.of(), 0, List.of());
      }
      // Read under the same lock, so this is the commit Lucene just checked.
      try (DirectoryReader reader = DirectoryReader.open(directory)) {
        Findings findings = new Findings();
        ConsistencyScan.Totals totals = ConsistencyScan.run(reader, findings);
        return new CheckReport(
            dir.toString(),
            depth,
            roots,
            List.of(),
            totals.files(),
            totals.chunks(),
            totals.vectors(),
            findings.byKind,
            findings.inconsistentFiles,
            findings.listed);
      } catch (CorruptIndexException e) {
        // Checksums can be right over structures written wrong: only the thorough depth decodes
        // them.
        return damaged(dir, depth, roots, "reading the index failed: " + e.getMessage());
      }
    }
  }

  /**
   * Checks the last commit of the index in a remote store: every file's manifest entry against the
   * chunks of the version it names (the rules of the embedded check), and chunks of no live version
   * (a stopped run's leftovers, which searches never see). The engine checks its own files: the
   * report has no depth and no damage. Takes no lock: a run writing meanwhile may show as
   * leftovers.
   *
   * @throws IndexMissingException when the store holds no Quarry index
   */
  public static CheckReport check(RemoteStore store) throws IOException {
    List<String> roots;
    try (IndexStore index = store.openForReading()) {
      roots = IndexMetadata.roots(index.commitData());
    }
    Findings findings = new Findings();
    long[] totals = new long[3]; // files, chunks, vectors
    store.forEachStoredFile(
        file -> {
          for (IndexProblem problem : problems(file)) {
            findings.problem(problem);
          }
          totals[0] += file.entry() == null ? 0 : 1;
          totals[1] += file.chunks().size() + file.leftovers();
          totals[2] += file.chunks().stream().filter(StoredFile.Chunk::hasVector).count();
        });
    return new CheckReport(
        store.location(),
        null,
        roots,
        List.of(),
        totals[0],
        totals[1],
        totals[2],
        findings.byKind,
        findings.inconsistentFiles,
        findings.listed);
  }

  /**
   * Removes each file of a remote store whose manifest entry and chunks disagree (or which has
   * leftovers): all its documents go, so the next run of its roots indexes it as a new file.
   *
   * @return the number of files removed
   * @throws IndexLockedException when a run writes one of their roots
   */
  public static long repair(RemoteStore store) throws IOException {
    Map<String, List<String>> byRoot = new TreeMap<>();
    long[] files = {0};
    store.forEachStoredFile(
        file -> {
          if (!problems(file).isEmpty()) {
            byRoot.computeIfAbsent(file.root(), root -> new ArrayList<>()).add(file.file());
            files[0]++;
          }
        });
    store.removeFiles(byRoot);
    return files[0];
  }

  private static List<IndexProblem> problems(StoredFile file) {
    List<IndexProblem> problems = new ArrayList<>();
    if (file.leftovers() > 0) {
      problems.add(
          new IndexProblem(
              Kind.ORPHAN_CHUNKS,
              file.file(),
              FileConsistency.count(file.leftovers(), "chunk document")
                  + (file.entry() == null
                      ? " and no manifest entry"
                      : " of another version than the manifest entry's")
                  + " (a stopped run's, never searched; the next run of its roots deletes them)"));
    }
    if (file.entry() != null) {
      List<StoredFile.Chunk> chunks = file.chunks();
      int[] ordinals = new int[chunks.size()];
      boolean[] vectors = new boolean[chunks.size()];
      String[] paths = new String[chunks.size()];
      for (int i = 0; i < chunks.size(); i++) {
        ordinals[i] = chunks.get(i).ordinal();
        vectors[i] = chunks.get(i).hasVector();
        paths[i] = chunks.get(i).path();
      }
      problems.addAll(
          FileConsistency.problems(file.file(), file.entry(), ordinals, vectors, paths));
    }
    return problems;
  }

  private static CheckReport damaged(Path dir, Depth depth, List<String> roots, String damage) {
    return new CheckReport(
        dir.toString(), depth, roots, List.of(damage), 0, 0, 0, Map.of(), 0, List.of());
  }

  /**
   * Removes every document of each file whose manifest entry and chunks disagree, and commits with
   * the commit data unchanged: the files leave the manifest, so the next run indexes them again as
   * new files. Found afresh on the commit the writer opens, so it removes what is wrong now. For an
   * index whose Lucene check passed: a damaged index must be rebuilt instead.
   *
   * @return the number of files removed
   * @throws IndexLockedException when a run is writing the index (naming it)
   */
  public static long repair(Path dir) throws IOException {
    if (!QuarryIndex.exists(dir)) {
      throw new IndexMissingException(dir);
    }
    try (QuarryIndex index =
        QuarryIndex.openForWriting(dir, "repair", java.util.function.UnaryOperator.identity())) {
      Removal removal = new Removal(index);
      IndexSearcher searcher = index.acquireSearcher();
      try {
        ConsistencyScan.run(searcher.getIndexReader(), removal);
      } finally {
        index.releaseSearcher(searcher);
      }
      if (removal.files > 0) {
        index.commit(index.commitData());
      }
      return removal.files;
    }
  }

  /** Problems counted by kind and by file, the first few kept. */
  private static final class Findings implements ConsistencyScan.Sink {
    final Map<Kind, Long> byKind = new EnumMap<>(Kind.class);
    final List<IndexProblem> listed = new ArrayList<>();
    long inconsistentFiles;
    private String lastFile; // a file's problems arrive together

    @Override
    public void problem(IndexProblem problem) {
      byKind.merge(problem.kind(), 1L, Long::sum);
      if (listed.size() < LISTED_PROBLEMS) {
        listed.add(problem);
      }
      if (!problem.file().equals(lastFile)) {
        inconsistentFiles++;
        lastFile = problem.file();
      }
    }
  }

  /** Deletes each file with a problem, once. */
  private static final class Removal implements ConsistencyScan.Sink {
    private final QuarryIndex index;
    long files;
    private String lastFile;

    Removal(QuarryIndex index) {
      this.index = index;
    }

    @Override
    public void problem(IndexProblem problem) throws IOException {
      if (!problem.file().equals(lastFile)) {
        index.deleteFile(problem.file());
        files++;
        lastFile = problem.file();
      }
    }
  }
}
