package dev.quarry.cache;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import javax.crypto.Mac;

/**
 * How the shared tier names and stores a vector, and checks it on the way back: whoever can write
 * to the Redis is not trusted to have written what Quarry wrote.
 *
 * <p>A value is a format byte, the vector as little-endian float16, then a tag:
 *
 * <ul>
 *   <li>without a team key (format {@value #CHECKSUMMED}): a CRC32C over the Redis key, the format
 *       byte and the vector. It rejects random, truncated and misplaced values (one chunk's vector
 *       copied under another's key), not a forger: anyone can compute it. The key is {@code
 *       quarry:v2:MODEL:CHUNK}, predictable.
 *   <li>with a {@link TeamKey} (format {@value #SIGNED}): an HMAC-SHA256, truncated to 16 bytes,
 *       over the model fingerprint, the chunk hash, the format byte and the vector: only key
 *       holders can write a value that is accepted. The Redis key is an HMAC of model and chunk
 *       ({@code quarry:v2s:HEX}), so others cannot tell which entry holds which chunk.
 * </ul>
 *
 * A vector of a model whose vectors are unit length must also be within {@link #NORM_TOLERANCE} of
 * it. Values of other formats (written by an earlier Quarry under {@code quarry:v1:}, or with
 * another key setting) are never served.
 */
final class SharedEntryFormat {
  static final byte CHECKSUMMED = 2;
  static final byte SIGNED = 3;
  private static final int CRC_BYTES = 4;
  private static final int MAC_BYTES = 16;

  /**
   * float16 moves a unit vector's length by at most about 2^-11; a vector further than 1% from unit
   * length was not written by the model.
   */
  static final double NORM_TOLERANCE = 0.01;

  private final TeamKey teamKey;

  private SharedEntryFormat(TeamKey teamKey) {
    this.teamKey = teamKey;
  }

  static SharedEntryFormat checksummed() {
    return new SharedEntryFormat(null);
  }

  static SharedEntryFormat signed(TeamKey key) {
    return new SharedEntryFormat(key);
  }

  boolean isSigned() {
    return teamKey != null;
  }

  /** The length every value of a {@code dimensions}-long vector has. */
  int valueBytes(int dimensions) {
    return 1 + 2 * dimensions + (isSigned() ? MAC_BYTES : CRC_BYTES);
  }

  /** A pattern matching this format's keys for {@code model} (with a key: all signed keys). */
  String keyPattern(ModelKey model) {
    return isSigned() ? "quarry:v2s:*" : "quarry:v2:" + model.fingerprint() + ":*";
  }

  /** Working state for one call on one thread (a {@link Mac} is not thread-safe). */
  Sealer sealer() {
    return new Sealer(isSigned() ? teamKey.mac() : null);
  }

  final class Sealer {
    private final Mac mac;

    private Sealer(Mac mac) {
      this.mac = mac;
    }

    byte[] key(ModelKey model, String chunkHash) {
      if (mac == null) {
        return ("quarry:v2:" + model.fingerprint() + ":" + chunkHash)
            .getBytes(StandardCharsets.UTF_8);
      }
      mac.update("quarry-key\0".getBytes(StandardCharsets.UTF_8));
      byte[] name = mac.doFinal(identity(model, chunkHash));
      return ("quarry:v2s:" + HexFormat.of().formatHex(name, 0, MAC_BYTES))
          .getBytes(StandardCharsets.UTF_8);
    }

    byte[] seal(ModelKey model, String chunkHash, byte[] key, float[] vector) {
      byte[] value = new byte[valueBytes(vector.length)];
      value[0] = isSigned() ? SIGNED : CHECKSUMMED;
      byte[] payload = float16(vector);
      System.arraycopy(payload, 0, value, 1, payload.length);
      byte[] tag = tag(model, chunkHash, key, value, 1 + payload.length);
      System.arraycopy(tag, 0, value, 1 + payload.length, tag.length);
      return value;
    }

    /**
     * The vector in {@code value}, or null when it fails a check: its length, format byte, tag,
     * finiteness, or (for a model of unit vectors) its length.
     */
    float[] open(ModelKey model, String chunkHash, byte[] key, byte[] value) {
      int dimensions = model.dimensions();
      if (value.length != valueBytes(dimensions)
          || value[0] != (isSigned() ? SIGNED : CHECKSUMMED)) {
        return null;
      }
      int tagStart = 1 + 2 * dimensions;
      byte[] expected = tag(model, chunkHash, key, value, tagStart);
      byte[] actual = new byte[expected.length];
      System.arraycopy(value, tagStart, actual, 0, actual.length);
      if (!MessageDigest.isEqual(expected, actual)) {
        return null;
      }
      float[] vector = fromFloat16(value, 1, dimensions);
      if (vector == null || (model.normalized() && !unitLength(vector))) {
        return null;
      }
      return vector;
    }

    /** The tag of {@code value}'s first {@code length} bytes (format byte and vector). */
    private byte[] tag(ModelKey model, String chunkHash, byte[] key, byte[] value, int length) {
      if (mac == null) {
        CRC32C crc = new CRC32C();
        crc.update(key);
        crc.update(value, 0, length);
        return ByteBuffer.allocate(CRC_BYTES)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putInt((int) crc.getValue())
            .array();
      }
      mac.update("quarry-value\0".getBytes(StandardCharsets.UTF_8));
      mac.update(identity(model, chunkHash));
      mac.update((byte) 0);
      mac.update(value, 0, length);
      byte[] full = mac.doFinal();
      byte[] tag = new byte[MAC_BYTES];
      System.arraycopy(full, 0, tag, 0, MAC_BYTES);
      return tag;
    }
  }

  private static byte[] identity(ModelKey model, String chunkHash) {
    return (model.fingerprint() + "\0" + chunkHash).getBytes(StandardCharsets.UTF_8);
  }

  private static boolean unitLength(float[] vector) {
    double sum = 0;
    for (float v : vector) {
      sum += (double) v * v;
    }
    return Math.abs(Math.sqrt(sum) - 1) <= NORM_TOLERANCE;
  }

  /** The vector as little-endian float16, two bytes a component. */
  static byte[] float16(float[] vector) {
    ByteBuffer buffer = ByteBuffer.allocate(2 * vector.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : vector) {
      buffer.putShort(Float.floatToFloat16(v));
    }
    return buffer.array();
  }

  /** {@code dimensions} float16 values from {@code offset}, or null when one is not finite. */
  static float[] fromFloat16(byte[] bytes, int offset, int dimensions) {
    ByteBuffer buffer =
        ByteBuffer.wrap(bytes, offset, 2 * dimensions).order(ByteOrder.LITTLE_ENDIAN);
    float[] vector = new float[dimensions];
    for (int i = 0; i < dimensions; i++) {
      vector[i] = Float.float16ToFloat(buffer.getShort());
      if (!Float.isFinite(vector[i])) {
        return null;
      }
    }
    return vector;
  }
}
