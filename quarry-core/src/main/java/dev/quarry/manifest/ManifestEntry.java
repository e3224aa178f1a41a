package dev.quarry.manifest;

/**
 * What the index knows of one file: the stat data change detection compares, the content hash it
 * falls back to, and how the file was processed.
 *
 * @param file absolute path (identity)
 * @param root the root it was found under
 * @param path '/'-separated path relative to {@code root}
 * @param size bytes
 * @param mtimeMillis modification time
 * @param fileKey device and inode, or ""
 * @param contentHash SHA-256 of the bytes, hex
 * @param chunkCount chunks indexed for it
 * @param language as extracted
 * @param pipeline the extractor and chunker versions that produced the chunks; a change re-chunks
 * @param model the embedding model identity of the chunks' vectors, or "" when they have none
 */
public record ManifestEntry(
    String file,
    String root,
    String path,
    long size,
    long mtimeMillis,
    String fileKey,
    String contentHash,
    int chunkCount,
    String language,
    String pipeline,
    String model) {

  public ManifestEntry withStat(long size, long mtimeMillis, String fileKey) {
    return new ManifestEntry(
        file,
        root,
        path,
        size,
        mtimeMillis,
        fileKey,
        contentHash,
        chunkCount,
        language,
        pipeline,
        model);
  }

  /** This entry with another model identity ("" for chunks written without vectors yet). */
  public ManifestEntry withModel(String model) {
    return new ManifestEntry(
        file,
        root,
        path,
        size,
        mtimeMillis,
        fileKey,
        contentHash,
        chunkCount,
        language,
        pipeline,
        model);
  }
}
