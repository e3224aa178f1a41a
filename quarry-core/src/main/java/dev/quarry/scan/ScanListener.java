package dev.quarry.scan;

/**
 * Receives what a scan finds, as it finds it (the scan streams; it never collects the tree). Calls
 * may come from several walker threads at once: implementations must be thread-safe.
 */
public interface ScanListener {

  /** A regular file to consider for indexing. */
  void onFile(ScannedFile file);

  /**
   * A file that exists in the tree but will not be indexed.
   *
   * @param relativePath '/'-separated path relative to its root (as best it can be represented)
   */
  void onSkipped(String relativePath, SkipReason reason);

  /**
   * Something in the tree that could not be examined (an unreadable directory or file, an I/O
   * error). The scan goes on with the rest of the tree.
   */
  void onFailed(String relativePath, String cause);

  /**
   * As {@link #onFailed(String, String)}, with the root the path is under (the scan calls this one;
   * with several roots, a relative path alone does not say where the failure is).
   */
  default void onFailed(java.nio.file.Path root, String relativePath, String cause) {
    onFailed(relativePath, cause);
  }
}
