package dev.quarry.embed.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answer of {@code POST /v1/embeddings}: {@code {"object":"list","data":[...],"model",
 * "usage"}}. As read from an endpoint, any field may be null (absent); the client checks what it
 * relies on.
 */
public record EmbeddingsResponse(String object, List<Embedding> data, String model, Usage usage) {

  /** An answer of {@code vectors}, item {@code i} for input {@code i}. */
  public static EmbeddingsResponse of(String model, List<float[]> vectors, long tokens) {
    List<Embedding> data = new java.util.ArrayList<>(vectors.size());
    for (int i = 0; i < vectors.size(); i++) {
      data.add(new Embedding(Embedding.OBJECT, i, vectors.get(i)));
    }
    return new EmbeddingsResponse("list", data, model, new Usage(tokens, tokens));
  }

  /**
   * One vector.
   *
   * @param index the input it is for (items may come in any order)
   * @param embedding the vector; only the float encoding is supported
   */
  public record Embedding(String object, Integer index, float[] embedding) {
    public static final String OBJECT = "embedding";
  }

  /** Tokens counted by the server; null where it does not say. */
  public record Usage(
      @JsonProperty("prompt_tokens") Long promptTokens,
      @JsonProperty("total_tokens") Long totalTokens) {}
}
