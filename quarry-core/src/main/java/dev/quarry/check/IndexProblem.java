package dev.quarry.check;

/**
 * A file whose documents break the index's invariants: the manifest entry and the chunks of a file
 * are written in one block and must agree, so any disagreement means that block was written wrong
 * or partly removed. Removing the file's documents and indexing it again repairs it.
 *
 * @param kind which invariant is broken
 * @param file the file's absolute path (its id in the index)
 * @param detail what was found, for a person
 */
public record IndexProblem(Kind kind, String file, String detail) {

  /** The invariants, one each. */
  public enum Kind {
    /** Chunk documents of a file that has no manifest entry. */
    ORPHAN_CHUNKS("chunks without a manifest entry"),
    /** More than one manifest entry for one file. */
    DUPLICATE_MANIFEST("more than one manifest entry"),
    /** A manifest document without the columns the manifest is read from. */
    UNREADABLE_MANIFEST("manifest entry without its columns"),
    /** Not as many chunk documents as the manifest's chunk count. */
    CHUNK_COUNT("chunk count differs from the manifest"),
    /** The chunks' ordinals are not 0..n-1, each once. */
    ORDINALS("chunk ordinals not 0..n-1 each once"),
    /** The manifest records a model, yet a chunk has no vector. */
    MISSING_VECTORS("chunks without a vector though the manifest records a model"),
    /** A chunk's path differs from the manifest's path of its file. */
    PATH_MISMATCH("chunk path differs from the manifest");

    private final String description;

    Kind(String description) {
      this.description = description;
    }

    /** What the kind means, for a person. */
    public String description() {
      return description;
    }
  }
}
