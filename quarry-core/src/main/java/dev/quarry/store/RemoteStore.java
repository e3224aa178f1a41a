package dev.quarry.store;

import dev.quarry.embed.ModelIdentity;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An index that lives outside this process, in an existing engine (a SolrCloud collection), named
 * by a store address such as {@code solr:http://host:8983/solr/quarry}. It opens {@link
 * IndexStore}s like the embedded index does, for one run or one search, and keeps what they share
 * (a client's connection pool) until closed. Made by a {@link RemoteStoreProvider}; see {@link
 * RemoteStores}.
 *
 * <p>Thread-safe.
 */
public interface RemoteStore extends Closeable {

  /** The store's address, as the user gave it (for messages and {@code status}). */
  String location();

  /** Whether the store holds a Quarry index (its collection exists and has Quarry's metadata). */
  boolean exists() throws IOException;

  /**
   * Opens the store for a run of {@code kind} over {@code roots}, creating it when missing, with
   * vectors of {@code model}; takes the writer's lock of every root (one writer per root, several
   * writers of different roots at once).
   *
   * @throws IndexLockedException when another run writes one of the roots
   * @throws IllegalStateException when the store holds another model's vectors or another layout
   */
  IndexStore openForWriting(List<Path> roots, String kind, ModelIdentity model) throws IOException;

  /**
   * Opens the store for searching and inspection; takes no lock.
   *
   * @throws IndexMissingException when the store holds no Quarry index
   */
  IndexStore openForReading() throws IOException;

  /**
   * Streams every file the store holds, in file order, one at a time (its entry and its chunks'
   * ordinals, paths and vectors), for {@code quarry check}; returns how many files (with or without
   * an entry) it visited. Reads the last commit; takes no lock.
   *
   * @throws IndexMissingException when the store holds no Quarry index
   */
  long forEachStoredFile(StoredFile.Visitor visitor) throws IOException;

  /**
   * Removes every document of each file (its manifest entry and chunks of every version) and
   * commits, holding the lock of the files' roots meanwhile: the next run of those roots indexes
   * them as new files ({@code quarry check --repair}). The roots' metadata is left as it is.
   *
   * @param filesByRoot the files to remove, by the root they were indexed under
   * @throws IndexLockedException when a run writes one of the roots
   */
  void removeFiles(Map<String, List<String>> filesByRoot) throws IOException;

  /** The run writing the store now, if any (a live lock of any root). */
  Optional<IndexLock.Holder> liveWriter() throws IOException;

  /** The holder of a lock left behind by a run that died (no report yet), if any. */
  Optional<IndexLock.Holder> deadWriter() throws IOException;
}
