package dev.quarry.embed;

import java.util.Objects;

/**
 * Everything that determines which vector a model gives a text. Two identities that differ in any
 * field may give different vectors, so an index (and later a cache) never mixes them.
 *
 * @param name the model's name, e.g. "all-minilm-l6-v2-q"
 * @param version the version of the artifact the weights come from
 * @param dimensions vector length
 * @param maxTokens the most tokens (special tokens included) one input may have; longer inputs are
 *     truncated, so chunkers keep their chunks within this
 * @param pooling how token vectors become one vector ("mean", "cls"; "remote" when unknown)
 * @param normalized whether vectors are scaled to unit length
 */
public record ModelIdentity(
    String name,
    String version,
    int dimensions,
    int maxTokens,
    String pooling,
    boolean normalized) {

  public ModelIdentity {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(pooling, "pooling");
    if (dimensions <= 0) {
      throw new IllegalArgumentException("dimensions must be positive, got " + dimensions);
    }
    if (maxTokens < 8) {
      throw new IllegalArgumentException("maxTokens must be at least 8, got " + maxTokens);
    }
  }

  /** One string naming all fields, stored with the index and compared on open. */
  public String id() {
    return name
        + "@"
        + version
        + ";dim="
        + dimensions
        + ";max="
        + maxTokens
        + ";pool="
        + pooling
        + ";norm="
        + normalized;
  }
}
