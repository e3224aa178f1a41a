package dev.quarry.store;

import dev.quarry.embed.EmbeddedChunk;
import dev.quarry.manifest.ManifestEntry;
import dev.quarry.manifest.ManifestSnapshot;
import java.io.Closeable;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where an indexing run keeps what it makes, shaped by what the pipeline needs of it: a file's
 * chunks and manifest entry written as one unit, commits that make everything so far durable
 * together with the run's metadata, the manifest of the last commit for change detection, vectors
 * already stored (by chunk hash) so nothing is embedded twice, and the writer's lock. Every store
 * can be searched too ({@link SearchableStore}).
 *
 * <p>The embedded Lucene index ({@code dev.quarry.index.QuarryIndex}) is the first implementation.
 * A remote store (a SolrCloud collection) fits the same contract: writes are idempotent by file and
 * chunk id (a retried or resumed write converges), a commit may be remote and slow, and nothing
 * written is visible to a reader of the last commit until {@link #commit}.
 *
 * <p>Thread-safety: writes may come from several threads at once (each file from one thread);
 * commits come from one thread.
 */
public interface IndexStore extends SearchableStore, Closeable {

  /** Where the store is, for messages (a directory, a collection's URL). */
  String location();

  /** The metadata of the last commit (model identity, roots, run history). */
  Map<String, String> commitData() throws IOException;

  /** The manifest of the last commit, for change detection; close it when done. */
  ManifestSnapshot manifestSnapshot() throws IOException;

  /** A vector already stored for a chunk with this content hash, if any. */
  Optional<float[]> storedVector(String chunkHash) throws IOException;

  /**
   * The vectors already stored for chunks with these content hashes (those it has). A remote store
   * answers them in one request rather than one per chunk.
   */
  default Map<String, float[]> storedVectors(Collection<String> chunkHashes) throws IOException {
    Map<String, float[]> found = new HashMap<>();
    for (String hash : chunkHashes) {
      storedVector(hash).ifPresent(v -> found.put(hash, v));
    }
    return found;
  }

  /**
   * Visits the manifest entry of every file of the last commit, in the order of the files' ids
   * (their absolute paths, by code point), streaming.
   *
   * @return the number of entries visited
   */
  long forEachFile(ManifestVisitor visitor) throws IOException;

  /**
   * Writes a file's chunks and its manifest entry as one unit, replacing whatever the store held
   * for the file. {@code newToStore}: the file is neither in the last commit nor written since, so
   * there is nothing to replace (a first index need not look for it).
   */
  void writeFile(ManifestEntry entry, List<EmbeddedChunk> chunks, boolean newToStore)
      throws IOException;

  /** Replaces a file's manifest entry alone (its stat changed, its content did not). */
  void updateManifest(ManifestEntry entry) throws IOException;

  /** Removes a file: its chunks and its manifest entry. */
  void deleteFile(String file) throws IOException;

  /** Makes every write so far durable, with {@code commitData} as the commit's metadata. */
  void commit(Map<String, String> commitData) throws IOException;

  /** Whether anything was written since the last commit. */
  boolean hasUncommittedChanges();

  /**
   * The failure that broke the store's writer (a full disk during a background flush), or null:
   * later writes fail with errors that do not name it, and the user needs the first cause.
   */
  Throwable writeFailure();

  /**
   * A file whose documents the store refused (a remote engine rejecting one of them as malformed):
   * its new version is not in the index (the old one, if any, stays), so the run counts it failed
   * and the next run tries it again.
   *
   * @param file the file's path as the manifest keys it
   * @param path its path relative to its root, as outcomes name it
   * @param cause why, in the engine's words
   */
  record RejectedFile(String file, String path, String cause) {}

  /**
   * The files refused since the last call; a store that refuses none (the embedded index fails a
   * write as a whole) has none. A run asks after each commit, when every write is answered.
   */
  default List<RejectedFile> takeRejectedFiles() {
    return List.of();
  }

  /** Counts of the last commit. */
  IndexStats stats() throws IOException;

  /** The one-writer lock this store holds (who writes, and who did before). */
  WriterLock lock();
}
