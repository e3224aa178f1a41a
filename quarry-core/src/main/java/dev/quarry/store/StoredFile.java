package dev.quarry.store;

import dev.quarry.manifest.ManifestEntry;
import java.util.List;

/**
 * One file as a remote store holds it: its manifest entry and the chunk documents of the version
 * the entry names, plus how many chunk documents of other versions are left (a killed run's, which
 * searches never see and the next writer of the file's roots deletes). What {@code quarry check}
 * verifies of a remote store.
 *
 * @param file the file's path as the manifest keys it
 * @param root the root it was indexed under (its writers' lock)
 * @param entry its manifest entry; null when it has none (then every chunk is a leftover)
 * @param chunks the chunks of the entry's version
 * @param leftovers chunk documents of other versions
 */
public record StoredFile(
    String file, String root, ManifestEntry entry, List<Chunk> chunks, int leftovers) {
  public StoredFile {
    chunks = List.copyOf(chunks);
  }

  /** What a check reads of one chunk document. */
  public record Chunk(int ordinal, String path, boolean hasVector) {}

  /** Receives stored files one at a time. */
  @FunctionalInterface
  public interface Visitor {
    void visit(StoredFile file) throws java.io.IOException;
  }
}
