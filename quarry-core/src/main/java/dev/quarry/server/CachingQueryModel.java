package dev.quarry.server;

import com.github.benmanes.caffeine.cache.Cache;
import dev.quarry.chunk.Tokenizer;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.ModelIdentity;
import java.util.List;

/**
 * The session's model, with query vectors remembered by query text: a query asked again in another
 * mode, page or generation (where the answer cache misses) is not embedded again, and embedding is
 * most of a semantic search's time. Thread-safe as the model and the cache are. Closing it does not
 * close the model (the session owns it).
 */
public final class CachingQueryModel implements EmbeddingModel {
  private final EmbeddingModel model;
  private final Cache<String, float[]> vectors;

  public CachingQueryModel(EmbeddingModel model, Cache<String, float[]> vectors) {
    this.model = model;
    this.vectors = vectors;
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

  /** The cached vector is shared: the searcher only reads it. */
  @Override
  public float[] embedQuery(String query) {
    return vectors.get(query, model::embedQuery);
  }

  @Override
  public void close() {}
}
