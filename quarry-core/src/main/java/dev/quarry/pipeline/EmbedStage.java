package dev.quarry.pipeline;

import dev.quarry.chunk.Chunk;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.pipeline.Messages.EmbedMessage;
import dev.quarry.pipeline.Messages.EmbedMessage.PendingFile;
import dev.quarry.pipeline.Messages.VectorMessage;
import dev.quarry.pipeline.Messages.VectorMessage.EmbeddedFile;
import dev.quarry.pipeline.Messages.VectorMessage.EmbeddedFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Stage 4, on one thread: gathers files that owe vectors into batches of about {@code batchSize}
 * chunks, embeds what no cache knows, and hands the finished files to the vector writer, so the
 * model is never idle while the store analyses and writes (two batches in flight at most).
 * Identical chunks are embedded once, across files and batches.
 */
final class EmbedStage {
  private final EmbeddingModel model;
  private final int batchSize;
  private final VectorLookup vectors;
  private final Ledger ledger;
  private final PipelineMetrics metrics;
  private final StageMeter meter;
  private final StageFailures failures;
  private final BooleanSupplier cancelled;

  EmbedStage(
      EmbeddingModel model,
      int batchSize,
      VectorLookup vectors,
      Ledger ledger,
      PipelineMetrics metrics,
      StageMeter meter,
      StageFailures failures,
      BooleanSupplier cancelled) {
    this.model = model;
    this.batchSize = batchSize;
    this.vectors = vectors;
    this.ledger = ledger;
    this.metrics = metrics;
    this.meter = meter;
    this.failures = failures;
    this.cancelled = cancelled;
  }

  /**
   * The model is called with at most this many batches' inputs at once: a stop request is seen
   * between calls, so a file of 100,000 chunks does not hold a Ctrl-C for half an hour. Eight
   * batches keep the model's own length-sorted batching as efficient as over the whole input.
   */
  static final int BATCHES_PER_CALL = 8;

  void run(BoundedQueue<EmbedMessage> in, BoundedQueue<VectorMessage> out)
      throws IOException, InterruptedException {
    List<PendingFile> batch = new ArrayList<>();
    int owed = 0;
    while (true) {
      // Block for the first file of a batch; then take what is already there, up to the batch size.
      EmbedMessage message = batch.isEmpty() ? in.take() : in.poll(0, TimeUnit.MILLISECONDS);
      if (message instanceof PendingFile file) {
        batch.add(file);
        owed += file.owed();
      }
      boolean ended = message instanceof EmbedMessage.NoMoreFiles;
      if (cancelled.getAsBoolean()) {
        // Files waiting for vectors are in the store as text, their manifest saying the vectors
        // are owed: the next run computes them. Stopping now is what the user asked for.
        batch.forEach(this::leaveTextOnly);
      } else if (!batch.isEmpty() && (owed >= batchSize || message == null || ended)) {
        long start = System.nanoTime();
        EmbeddedFiles done = embed(batch);
        meter.busy(System.nanoTime() - start);
        if (done == null) {
          batch.forEach(this::leaveTextOnly); // stopped between two calls of the model
        } else {
          failures.put(out, done);
        }
      } else if (!ended) {
        continue; // the batch is still filling
      }
      batch.clear();
      owed = 0;
      if (ended) {
        failures.put(out, new VectorMessage.EmbeddingEnded());
        return;
      }
    }
  }

  /** A file a cancelled run leaves searchable as text, its vectors owed to the next run. */
  private void leaveTextOnly(PendingFile file) {
    ledger.settled(file.owed());
    ledger.chunksWritten(file.chunks().size(), 0);
    ledger.record(new FileOutcome.Indexed(file.entry().path(), file.chunks().size(), 0, 0));
    file.memory().release();
  }

  /**
   * Embeds what the batch owes and fills in every file's vectors; null when the run was stopped
   * before it was done.
   */
  private EmbeddedFiles embed(List<PendingFile> batch) throws IOException {
    // What the batch owes; vectors computed since its files were written (by an earlier batch)
    // are in the cache by now.
    Map<String, String> owed = new LinkedHashMap<>();
    for (PendingFile file : batch) {
      for (int i = 0; i < file.chunks().size(); i++) {
        Chunk chunk = file.chunks().get(i);
        if (file.vectors()[i] == null) {
          owed.putIfAbsent(chunk.hash(), chunk.embeddingInput());
        }
      }
    }
    Map<String, float[]> known = vectors.cached(owed.keySet());
    Map<String, String> inputs = new LinkedHashMap<>(owed);
    inputs.keySet().removeAll(known.keySet());
    Map<String, float[]> computed = new HashMap<>();
    List<String> hashes = new ArrayList<>(inputs.keySet());
    List<String> texts = new ArrayList<>(inputs.values());
    int slice = batchSize * BATCHES_PER_CALL;
    for (int from = 0; from < hashes.size(); from += slice) {
      if (cancelled.getAsBoolean()) {
        return null; // what was computed is remembered: the next run gets it from the cache
      }
      int to = Math.min(hashes.size(), from + slice);
      long start = System.nanoTime();
      List<float[]> result = model.embed(texts.subList(from, to));
      metrics.embedded(to - from, System.nanoTime() - start);
      Map<String, float[]> sliceVectors = new HashMap<>();
      for (int i = from; i < to; i++) {
        sliceVectors.put(hashes.get(i), result.get(i - from));
        meter.record(0);
      }
      computed.putAll(sliceVectors);
      vectors.remember(sliceVectors);
      ledger.embeddedByModel(to - from);
    }
    return fillIn(batch, computed, known);
  }

  /**
   * Gives every owed chunk its vector; the first use of a computed vector counts as embedded for
   * its file, any repeat (elsewhere in the batch) as reused.
   */
  private static EmbeddedFiles fillIn(
      List<PendingFile> batch, Map<String, float[]> computed, Map<String, float[]> known) {
    Map<String, float[]> firstUse = new HashMap<>(computed);
    List<EmbeddedFile> done = new ArrayList<>(batch.size());
    for (PendingFile file : batch) {
      int embeddedHere = 0;
      int reused = 0;
      for (int i = 0; i < file.chunks().size(); i++) {
        if (file.vectors()[i] != null) {
          reused++;
          continue;
        }
        String hash = file.chunks().get(i).hash();
        float[] vector = firstUse.remove(hash);
        if (vector != null) {
          embeddedHere++;
        } else {
          vector = computed.containsKey(hash) ? computed.get(hash) : known.get(hash);
          reused++;
          if (vector == null) {
            throw new IllegalStateException(
                "no vector for chunk " + hash + " of " + file.entry().path());
          }
        }
        file.vectors()[i] = vector;
      }
      done.add(new EmbeddedFile(file, embeddedHere, reused));
    }
    return new EmbeddedFiles(done);
  }
}
