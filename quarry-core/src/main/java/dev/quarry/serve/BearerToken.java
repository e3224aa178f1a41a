package dev.quarry.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;

/**
 * The secret an {@link EmbeddingServer} demands of every request, as {@code Authorization: Bearer
 * TOKEN} (what Quarry's remote embedder sends from {@code $QUARRY_EMBEDDER_API_KEY}). It comes from
 * the environment or a file, never from a command-line value, which any user of the machine sees in
 * {@code ps}. {@link #toString} never shows it.
 */
public final class BearerToken {
  /** The environment variable the token is read from. */
  public static final String VARIABLE = "QUARRY_SERVE_TOKEN";

  /**
   * The shortest token accepted: 16 characters of a random hex or base64 string are 64 bits or
   * more, beyond guessing over HTTP; a short word is not.
   */
  public static final int MIN_LENGTH = 16;

  /** Token files larger than this are not tokens (a path given by mistake). */
  private static final long MAX_FILE_BYTES = 4096;

  private final byte[] digest;

  private BearerToken(String value) {
    this.digest = sha256(value);
  }

  /**
   * The token {@code value} (surrounding white space trimmed).
   *
   * @throws IllegalArgumentException when it is shorter than {@link #MIN_LENGTH} or holds a space
   *     or a control character (it could not travel in a header)
   */
  public static BearerToken of(String value) {
    String token = value == null ? "" : value.strip();
    if (token.length() < MIN_LENGTH) {
      throw new IllegalArgumentException(
          "the token must have at least "
              + MIN_LENGTH
              + " characters, it has "
              + token.length()
              + " (make one with: openssl rand -hex 32)");
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new IllegalArgumentException(
            "the token must be printable ASCII without spaces; character "
                + (i + 1)
                + " is not (make one with: openssl rand -hex 32)");
      }
    }
    return new BearerToken(token);
  }

  /** The token in {@code $QUARRY_SERVE_TOKEN} of {@code environment}, if set and not blank. */
  public static Optional<BearerToken> fromEnvironment(Map<String, String> environment) {
    String value = environment.get(VARIABLE);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(of(value));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("$" + VARIABLE + ": " + e.getMessage(), e);
    }
  }

  /**
   * The token in {@code file}: its content, surrounding white space (a final newline) trimmed.
   *
   * @throws IllegalArgumentException naming the file when it is missing, unreadable, too large or
   *     does not hold a valid token
   */
  public static BearerToken fromFile(Path file) {
    String content;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new IllegalArgumentException(
            "token file " + file + " is larger than " + MAX_FILE_BYTES + " bytes: not a token");
      }
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("token file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("token file " + file + " cannot be read: " + e, e);
    }
    try {
      return of(content);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("token file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether {@code authorization} (an {@code Authorization} header's value, or null) carries this
   * token. Both sides are hashed and compared with {@link MessageDigest#isEqual}, so the time taken
   * tells nothing of how much of a guess was right, nor of the token's length.
   */
  public boolean matches(String authorization) {
    if (authorization == null || authorization.length() < 7) {
      return false;
    }
    String scheme = authorization.substring(0, 7);
    if (!scheme.equalsIgnoreCase("Bearer ")) {
      return false;
    }
    return MessageDigest.isEqual(digest, sha256(authorization.substring(7).strip()));
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "BearerToken[***]";
  }
}
