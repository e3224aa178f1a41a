package dev.quarry.cache;

import dev.quarry.embed.ModelIdentity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The model half of a cache key: a fingerprint of every field of the model's identity (name,
 * version, dimensions, max length, pooling, normalisation), so a model change can never serve
 * another model's vectors, and the vector length the entries must have.
 *
 * @param fingerprint 16 hex digits of the SHA-256 of {@link ModelIdentity#id()}
 * @param modelId the identity it was made from, for reports
 * @param normalized whether the model's vectors are unit length (a shared tier rejects others)
 */
public record ModelKey(String fingerprint, String modelId, int dimensions, boolean normalized) {

  public static ModelKey of(ModelIdentity identity) {
    return ofId(identity.id(), identity.dimensions());
  }

  /** The key of a model known by its {@link ModelIdentity#id()} (as an index records it). */
  public static ModelKey ofId(String modelId, int dimensions) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(modelId.getBytes(StandardCharsets.UTF_8));
      // The id ends with the normalisation flag (ModelIdentity.id()).
      return new ModelKey(
          HexFormat.of().formatHex(digest, 0, 8),
          modelId,
          dimensions,
          modelId.endsWith(";norm=true"));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
