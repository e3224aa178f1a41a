package dev.quarry.embed.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The answer of {@code GET /v1/models}: {@code {"object":"list","data":[...]}}. */
public record ModelList(String object, List<Model> data) {

  /** The name of the extra field of a model entry that carries Quarry's identity. */
  public static final String IDENTITY_FIELD = "quarry";

  public static ModelList of(List<Model> models) {
    return new ModelList("list", models);
  }

  /**
   * One model.
   *
   * @param quarry the model's Quarry identity, given by a Quarry server only (null otherwise)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Model(
      String id,
      String object,
      Long created,
      @JsonProperty("owned_by") String ownedBy,
      @JsonProperty(IDENTITY_FIELD) QuarryIdentity quarry) {}

  /**
   * A model's identity as Quarry knows it ({@code ModelIdentity}), so a Quarry client can tell it
   * gets the vectors a local run of that model gives.
   *
   * @param id the identity's {@code id()}: a client checks that the fields make it
   */
  public record QuarryIdentity(
      String id,
      String name,
      String version,
      int dimensions,
      @JsonProperty("max_tokens") int maxTokens,
      String pooling,
      boolean normalized) {}
}
