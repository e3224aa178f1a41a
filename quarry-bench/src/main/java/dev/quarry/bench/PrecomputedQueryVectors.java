package dev.quarry.bench;

import dev.quarry.chunk.Tokenizer;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.ModelIdentity;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A model that embeds each distinct query once and then answers from memory: a searcher built on it
 * measures the search alone, without the model's time. Same identity as the model it wraps, so a
 * {@code Searcher} accepts it for that model's index. Thread-safe. Closing it leaves the wrapped
 * model open (it does not own it).
 */
final class PrecomputedQueryVectors implements EmbeddingModel {
  private final EmbeddingModel model;
  private final Map<String, float[]> vectors = new ConcurrentHashMap<>();

  PrecomputedQueryVectors(EmbeddingModel model) {
    this.model = model;
  }

  @Override
  public ModelIdentity identity() {
    return model.identity();
  }

  @Override
  public Tokenizer tokenizer() {
    return model.tokenizer();
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    return model.embed(texts);
  }

  /** The query's vector, computed by the wrapped model on first use. Callers must not modify it. */
  @Override
  public float[] embedQuery(String query) {
    return vectors.computeIfAbsent(query, model::embedQuery);
  }

  @Override
  public void close() {}
}
