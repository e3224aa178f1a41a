package dev.quarry.pipeline;

import dev.quarry.chunk.Chunk;
import dev.quarry.manifest.ManifestEntry;
import java.util.List;

/** What a worker made of one scanned file: its content unchanged, not indexable, or chunked. */
sealed interface FileWork {

  /** Bytes of text this work holds (for the queue's memory bound). */
  default long bytes() {
    return 64;
  }

  /** Content unchanged; {@code restat} is the manifest entry with the new stat, or null if none. */
  record Unchanged(FileOutcome.Unchanged outcome, ManifestEntry restat) implements FileWork {}

  /**
   * Not indexable now (skipped or failed); {@code staleFile} is the file id whose old chunks must
   * go, or null.
   */
  record NotIndexed(FileOutcome outcome, String staleFile) implements FileWork {}

  /** New chunks for the file. */
  record Chunked(ManifestEntry entry, List<Chunk> chunks, long textBytes) implements FileWork {
    @Override
    public long bytes() {
      return textBytes;
    }
  }
}
