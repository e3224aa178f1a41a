package dev.quarry.pipeline;

import dev.quarry.chunk.Tokenizer;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.embed.ModelIdentity;
import java.util.ArrayList;
import java.util.List;

/**
 * The real default model, loaded once per test JVM, recording every text it is asked to embed so
 * tests can assert exactly what was (re-)embedded.
 */
final class RecordingModel implements EmbeddingModel {
  private static final EmbeddingModel SHARED = EmbeddingModels.load(EmbeddingModels.DEFAULT, 2);

  final List<String> embedded = new ArrayList<>();

  @Override
  public ModelIdentity identity() {
    return SHARED.identity();
  }

  @Override
  public Tokenizer tokenizer() {
    return SHARED.tokenizer();
  }

  @Override
  public synchronized List<float[]> embed(List<String> texts) {
    embedded.addAll(texts);
    return SHARED.embed(texts);
  }

  @Override
  public void close() {
    // shared across tests; the JVM's exit frees it
  }
}
