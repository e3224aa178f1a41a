package dev.quarry.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret a team shares to sign the vectors it puts in a shared Redis: only holders of the key
 * can write a value the others accept, or even tell which Redis key holds which chunk. Any bytes of
 * at least {@link #MIN_BYTES} (surrounding whitespace is not part of the key, so {@code openssl
 * rand -hex 32 > FILE} makes a good one). {@link #toString} never shows it.
 */
public final class TeamKey {
  /** 128 bits: less would make the signature easier to forge than to compute. */
  public static final int MIN_BYTES = 16;

  private final SecretKeySpec key;

  private TeamKey(byte[] material) {
    this.key = new SecretKeySpec(material, "HmacSHA256");
  }

  /**
   * The key in {@code text} (an environment variable's value).
   *
   * @throws IllegalArgumentException when it is shorter than {@link #MIN_BYTES}
   */
  public static TeamKey of(String text) {
    byte[] material = text.strip().getBytes(StandardCharsets.UTF_8);
    if (material.length < MIN_BYTES) {
      throw new IllegalArgumentException(
          "a team key must be at least " + MIN_BYTES + " bytes, got " + material.length);
    }
    return new TeamKey(material);
  }

  /**
   * The key in {@code file}.
   *
   * @throws IllegalArgumentException naming the file when it cannot be read or is too short
   */
  public static TeamKey read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the team key file " + file + ": " + e);
    }
    int from = 0;
    int to = bytes.length;
    while (from < to && Character.isWhitespace(bytes[from])) {
      from++;
    }
    while (to > from && Character.isWhitespace(bytes[to - 1])) {
      to--;
    }
    if (to - from < MIN_BYTES) {
      throw new IllegalArgumentException(
          "the team key file "
              + file
              + " holds "
              + (to - from)
              + " bytes; a key must be at least "
              + MIN_BYTES
              + " (make one with: openssl rand -hex 32 > "
              + file
              + ")");
    }
    return new TeamKey(Arrays.copyOfRange(bytes, from, to));
  }

  /** A fresh HMAC-SHA256 under this key (a {@link Mac} is not thread-safe: one per call). */
  Mac mac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "TeamKey[***]";
  }
}
