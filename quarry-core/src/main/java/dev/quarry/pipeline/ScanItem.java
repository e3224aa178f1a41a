package dev.quarry.pipeline;

import dev.quarry.scan.ScannedFile;

/** One thing the walk (of a tree or of a change list) found, for a worker to handle. */
sealed interface ScanItem permits ScanItem.Found, Removal, ScanReport {

  /** A file to look at: unchanged, changed, new. */
  record Found(ScannedFile file) implements ScanItem {}
}
