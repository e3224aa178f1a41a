package dev.quarry.pipeline;

import dev.quarry.pipeline.Messages.EmbedMessage.PendingFile;
import dev.quarry.pipeline.Messages.VectorMessage;
import dev.quarry.pipeline.Messages.VectorMessage.EmbeddedFile;
import dev.quarry.store.IndexStore;
import java.io.IOException;

/**
 * Stage 5, on one thread: writes files whose vectors are complete, replacing their text-only
 * version, while the model embeds the next batch.
 */
final class VectorWriteStage {
  private final IndexStore store;
  private final CommitPolicy commits;
  private final Ledger ledger;
  private final StageMeter meter;

  VectorWriteStage(IndexStore store, CommitPolicy commits, Ledger ledger, StageMeter meter) {
    this.store = store;
    this.commits = commits;
    this.ledger = ledger;
    this.meter = meter;
  }

  void run(BoundedQueue<VectorMessage> in) throws IOException, InterruptedException {
    while (true) {
      switch (in.take()) {
        case VectorMessage.EmbeddingEnded end -> {
          return;
        }
        case VectorMessage.EmbeddedFiles files -> {
          long start = System.nanoTime();
          for (EmbeddedFile done : files.files()) {
            write(done);
          }
          meter.busy(System.nanoTime() - start);
        }
      }
    }
  }

  private void write(EmbeddedFile done) throws IOException {
    PendingFile file = done.file();
    int chunks = file.chunks().size();
    commits.written(chunks);
    store.writeFile(file.entry(), TextWriter.withVectors(file.chunks(), file.vectors()), false);
    ledger.chunksWritten(chunks, done.reused());
    ledger.record(
        new FileOutcome.Indexed(file.entry().path(), chunks, done.embedded(), done.reused()));
    ledger.settled(file.owed());
    file.memory().release();
  }
}
