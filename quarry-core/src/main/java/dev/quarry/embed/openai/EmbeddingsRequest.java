package dev.quarry.embed.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /v1/embeddings}.
 *
 * @param model the model asked for; null when not given
 * @param input a string or an array of strings (OpenAI's union; its token arrays are not
 *     supported); read it through {@link #texts()}
 * @param encodingFormat {@code float} (the only one supported) or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EmbeddingsRequest(
    String model, JsonNode input, @JsonProperty("encoding_format") String encodingFormat) {

  public static final String FLOAT = "float";

  /** A request for the vectors of {@code texts}, as floats. */
  public static EmbeddingsRequest of(String model, List<String> texts) {
    ArrayNode input = JsonNodeFactory.instance.arrayNode(texts.size());
    texts.forEach(input::add);
    return new EmbeddingsRequest(model, input, FLOAT);
  }

  /**
   * The inputs, in order.
   *
   * @throws IllegalArgumentException naming what is wrong: no input, not a string or an array of
   *     strings, an empty array
   */
  public List<String> texts() {
    if (input == null || input.isNull()) {
      throw new IllegalArgumentException("'input' is required: a string or an array of strings");
    }
    if (input.isTextual()) {
      return List.of(input.asText());
    }
    if (!input.isArray()) {
      throw new IllegalArgumentException(
          "'input' must be a string or an array of strings (token arrays are not supported)");
    }
    if (input.isEmpty()) {
      throw new IllegalArgumentException("'input' must not be an empty array");
    }
    List<String> texts = new ArrayList<>(input.size());
    for (int i = 0; i < input.size(); i++) {
      JsonNode item = input.get(i);
      if (!item.isTextual()) {
        throw new IllegalArgumentException(
            "'input[" + i + "]' must be a string (token arrays are not supported)");
      }
      texts.add(item.asText());
    }
    return texts;
  }
}
