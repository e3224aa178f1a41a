package dev.quarry.pipeline;

import dev.quarry.scan.SkipReason;

/** What a run did with one file. Every file the scan finds gets exactly one. */
public sealed interface FileOutcome {

  /** The file's '/'-separated path relative to its root. */
  String path();

  /**
   * The file's chunks were (re)written.
   *
   * @param chunks chunks written
   * @param embedded chunks the model embedded in this run
   * @param reused chunks whose vector was found already computed (same content elsewhere)
   */
  record Indexed(String path, int chunks, int embedded, int reused) implements FileOutcome {}

  /**
   * Nothing to do: same content as indexed.
   *
   * @param rehashed true when its stat had changed, so it was read and hashed to find that out
   */
  record Unchanged(String path, boolean rehashed) implements FileOutcome {}

  /** The file is gone from the tree (or now ignored or skipped); its chunks were removed. */
  record Deleted(String path) implements FileOutcome {}

  record Skipped(String path, SkipReason reason) implements FileOutcome {}

  /** The file could not be indexed; {@code cause} says why, in words for the user. */
  record Failed(String path, String cause) implements FileOutcome {}
}
