package dev.quarry.scan;

/**
 * Why a file found in the tree was not indexed. Every skip is counted and reported; none is silent.
 * Files excluded by ignore rules are not part of the tree at all and get no outcome.
 */
public enum SkipReason {
  /** A symbolic link, not followed (the default), or a link whose target is missing. */
  SYMLINK("symbolic link not followed"),
  /** A symbolic link that points back into a directory already on the walk's path. */
  SYMLINK_LOOP("symbolic link loop"),
  /** A FIFO, socket or device: never opened, so it can never block a run. */
  SPECIAL_FILE("not a regular file (FIFO, socket or device)"),
  /** Larger than the configured size cap. */
  TOO_LARGE("larger than the size cap"),
  /** Zero bytes: nothing to index. */
  EMPTY("empty file"),
  /** Content sniffing found binary data (NUL bytes, not UTF-16/32 text). */
  BINARY("binary content"),
  /** Extraction took longer than its time limit (a PDF whose content streams never end). */
  TIME_LIMIT("extraction took longer than its time limit"),
  /** A document format with no extractable text (a PDF of scanned images). */
  NO_TEXT("no extractable text"),
  /** The file name cannot be represented as text without loss (invalid bytes for UTF-8). */
  UNREPRESENTABLE_NAME("file name is not valid UTF-8");

  private final String description;

  SkipReason(String description) {
    this.description = description;
  }

  /** A short human description, used in reports. */
  public String description() {
    return description;
  }
}
