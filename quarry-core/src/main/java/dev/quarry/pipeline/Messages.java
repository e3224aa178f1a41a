package dev.quarry.pipeline;

import dev.quarry.chunk.Chunk;
import dev.quarry.manifest.ManifestEntry;
import java.util.List;

/**
 * What travels on each queue between the stages of a run, one sealed type per queue: a stage's
 * consumer switches over what it takes, and the end of a stream is a message of its own kind.
 *
 * <pre>
 *   walk ─ScanMessage─► workers ─WorkMessage─► books ─EmbedMessage─► embedder ─VectorMessage─► vector writer
 * </pre>
 */
final class Messages {
  private Messages() {}

  /** From the walk to the workers. */
  sealed interface ScanMessage {
    /** What the walk found, in batches. */
    record Found(Batch<ScanItem> batch) implements ScanMessage {}

    /** The walk is over (one for each worker). */
    record WalkEnded() implements ScanMessage {}
  }

  /** From the workers to the books. */
  sealed interface WorkMessage {
    /** What a worker made of a batch. */
    record Done(Batch<WorkResult> batch) implements WorkMessage {}

    /** A worker has finished. */
    record WorkerEnded() implements WorkMessage {}
  }

  /** From the books to the embedder. */
  sealed interface EmbedMessage {
    /**
     * A file written without vectors, waiting for them; {@code vectors[i]} is null while owed, and
     * {@code owed} of them were when it was queued. It holds {@code memory} of the run's file
     * budget until its vectors are written.
     */
    record PendingFile(
        ManifestEntry entry,
        List<Chunk> chunks,
        float[][] vectors,
        int owed,
        long bytes,
        FileMemory.Lease memory)
        implements EmbedMessage {}

    /** No more files will need vectors. */
    record NoMoreFiles() implements EmbedMessage {}
  }

  /** From the embedder to the vector writer. */
  sealed interface VectorMessage {
    /** Files whose vectors are all known, to be written. */
    record EmbeddedFiles(List<EmbeddedFile> files) implements VectorMessage {}

    /** A file with its vectors, and how many of them the model computed for it or were reused. */
    record EmbeddedFile(EmbedMessage.PendingFile file, int embedded, int reused) {}

    /** The embedder has finished. */
    record EmbeddingEnded() implements VectorMessage {}
  }

  static long weight(ScanMessage message) {
    return message instanceof ScanMessage.Found found ? found.batch().bytes() : 1;
  }

  static long weight(WorkMessage message) {
    return message instanceof WorkMessage.Done done ? done.batch().bytes() : 1;
  }

  static long weight(EmbedMessage message) {
    return message instanceof EmbedMessage.PendingFile file ? file.bytes() : 1;
  }
}
