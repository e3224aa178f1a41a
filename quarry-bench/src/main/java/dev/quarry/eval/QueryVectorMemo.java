package dev.quarry.eval;

import dev.quarry.chunk.Tokenizer;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.ModelIdentity;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A model that embeds each query once: a sweep searches the same query under many rankings, and the
 * query's vector is the same every time. Not closed by {@link #close}: the session owns the model.
 */
final class QueryVectorMemo implements EmbeddingModel {
  private final EmbeddingModel model;
  private final Map<String, float[]> queries = new ConcurrentHashMap<>();

  QueryVectorMemo(EmbeddingModel model) {
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

  @Override
  public float[] embedQuery(String query) {
    return queries.computeIfAbsent(query, model::embedQuery);
  }

  @Override
  public void close() {}
}
