package dev.quarry.pipeline;

import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.EmbeddingModels;
import java.util.HashMap;
import java.util.Map;

/**
 * In-process models kept loaded across runs, for a process that runs many short ones (the watch of
 * {@code quarry serve} runs a sync per batch of edits): loading the model took longer than indexing
 * a saved file. Runs borrow a model and leave it open; the pool's owner closes them all.
 * Thread-safe.
 */
public final class ModelPool implements AutoCloseable {
  private final Map<String, EmbeddingModel> models = new HashMap<>();
  private boolean closed;

  /** The model {@code name} with {@code threads} threads, loaded on first use. */
  synchronized EmbeddingModel get(String name, int threads) {
    if (closed) {
      throw new IllegalStateException("the model pool is closed");
    }
    return models.computeIfAbsent(name + "/" + threads, key -> EmbeddingModels.load(name, threads));
  }

  /**
   * Holds {@code model} as model {@code name} with {@code threads} threads (tests: a model built
   * for them).
   */
  synchronized void hold(String name, int threads, EmbeddingModel model) {
    models.put(name + "/" + threads, model);
  }

  /**
   * Closes every model loaded; a run still using one must have ended (the owner joins it first).
   */
  @Override
  public synchronized void close() {
    closed = true;
    models.values().forEach(EmbeddingModel::close);
    models.clear();
  }
}
