package dev.quarry.extract;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bytes to text without ever failing: BOMs first (UTF-8, UTF-16, UTF-32), then UTF-8 when the
 * bytes are (almost all) valid UTF-8, then BOM-less UTF-16 by its NUL pattern, else Windows-1252
 * (a superset of Latin-1 that decodes every byte). Undecodable sequences become U+FFFD and are
 * counted. Line ends are normalised to '\n'.
 */
final class TextDecoder {
  private static final Charset UTF_32BE = Charset.forName("UTF-32BE");
  private static final Charset UTF_32LE = Charset.forName("UTF-32LE");
  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
  /** Bytes looked at to guess BOM-less UTF-16. */
  private static final int SNIFF_BYTES = 8000;

  private TextDecoder() {}

  /** Decoded text, the charset used, and how many sequences were replaced. */
  record Decoded(String text, String charset, int replaced) {}

  /** A detected charset and how many leading bytes (a BOM) to drop. */
  record Detected(Charset charset, int bomLength) {}

  static Decoded decode(byte[] bytes) {
    Detected detected = detect(bytes);
    Charset charset = detected.charset();
    int[] replaced = new int[1];
    String text = decode(bytes, detected.bomLength(), charset, replaced);
    if (charset.equals(StandardCharsets.UTF_8) && detected.bomLength() == 0 && mostlyInvalid(bytes, replaced[0])) {
      // Not UTF-8 after all (a Latin-1 file with many accented letters): every byte is a character.
      charset = WINDOWS_1252;
      replaced[0] = 0;
      text = decode(bytes, 0, charset, replaced);
    }
    return new Decoded(normaliseLineEnds(text), charset.name(), replaced[0]);
  }

  static Detected detect(byte[] b) {
    if (startsWith(b, 0x00, 0x00, 0xFE, 0xFF)) {
      return new Detected(UTF_32BE, 4);
    }
    if (startsWith(b, 0xFF, 0xFE, 0x00, 0x00)) {
      return new Detected(UTF_32LE, 4);
    }
    if (startsWith(b, 0xEF, 0xBB, 0xBF)) {
      return new Detected(StandardCharsets.UTF_8, 3);
    }
    if (startsWith(b, 0xFE, 0xFF)) {
      return new Detected(StandardCharsets.UTF_16BE, 2);
    }
    if (startsWith(b, 0xFF, 0xFE)) {
      return new Detected(StandardCharsets.UTF_16LE, 2);
    }
    Charset utf16 = bomLessUtf16(b);
    if (utf16 != null) {
      return new Detected(utf16, 0);
    }
    return new Detected(StandardCharsets.UTF_8, 0);
  }

  /** UTF-16 text of mostly ASCII has a NUL in every other byte: even positions for BE, odd for LE. */
  static Charset bomLessUtf16(byte[] b) {
    int n = Math.min(b.length, SNIFF_BYTES) & ~1;
    if (n < 4) {
      return null;
    }
    int evenNuls = 0;
    int oddNuls = 0;
    for (int i = 0; i < n; i += 2) {
      if (b[i] == 0) {
        evenNuls++;
      }
      if (b[i + 1] == 0) {
        oddNuls++;
      }
    }
    int pairs = n / 2;
    if (oddNuls > pairs * 0.7 && evenNuls < pairs * 0.05) {
      return StandardCharsets.UTF_16LE;
    }
    if (evenNuls > pairs * 0.7 && oddNuls < pairs * 0.05) {
      return StandardCharsets.UTF_16BE;
    }
    return null;
  }

  /** More than 1% of non-ASCII bytes replaced: the file is in a single-byte charset, not UTF-8. */
  private static boolean mostlyInvalid(byte[] bytes, int replaced) {
    if (replaced == 0) {
      return false;
    }
    int nonAscii = 0;
    for (byte x : bytes) {
      if (x < 0) {
        nonAscii++;
      }
    }
    return replaced > Math.max(1, nonAscii / 100);
  }

  private static String decode(byte[] bytes, int offset, Charset charset, int[] replaced) {
    CharsetDecoder decoder = charset.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
    CharBuffer out = CharBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8,
        (long) Math.ceil((bytes.length - offset) * (double) decoder.maxCharsPerByte()) + 16));
    try {
      while (true) {
        CoderResult result = in.hasRemaining() ? decoder.decode(in, out, true) : CoderResult.UNDERFLOW;
        if (result.isError()) {
          // Replace the bad sequence and go on: one U+FFFD per malformed sequence, counted.
          in.position(in.position() + result.length());
          out.put('\uFFFD');
          replaced[0]++;
          continue;
        }
        if (result.isOverflow()) {
          throw new CharacterCodingException();
        }
        break;
      }
      decoder.flush(out);
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("output buffer sized from maxCharsPerByte overflowed", e);
    }
    out.flip();
    return out.toString();
  }

  private static String normaliseLineEnds(String text) {
    if (text.indexOf('\r') < 0) {
      return text;
    }
    return text.replace("\r\n", "\n").replace('\r', '\n');
  }

  private static boolean startsWith(byte[] b, int... prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((b[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
