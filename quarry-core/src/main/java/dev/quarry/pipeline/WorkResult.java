package dev.quarry.pipeline;

import dev.quarry.scan.ScannedFile;

/** What a worker passes on to the books for one scanned item. */
sealed interface WorkResult permits WorkResult.Processed, ScanReport {

  /**
   * A file the worker handled: its manifest slot (-1: new), what it made of it, and what it wrote
   * to the index (null if nothing).
   */
  record Processed(ScannedFile file, int slot, FileWork work, TextWriter.Written written)
      implements WorkResult {}
}
