package dev.quarry.extract;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Turns the bytes of a text file into a string, guessing the encoding, replacing what cannot be
 * decoded and never failing. The guess, in order:
 *
 * <ol>
 *   <li>a byte order mark (UTF-8, UTF-16LE/BE, UTF-32LE/BE) names the encoding; the mark itself is
 *       dropped;
 *   <li>BOM-less UTF-16 recognised by {@link BomlessUtf16};
 *   <li>UTF-8, when at least two in three non-ASCII byte sequences are valid UTF-8 (so a UTF-8 file
 *       with a few damaged bytes stays UTF-8, its damage replaced and counted);
 *   <li>otherwise windows-1252, the superset of Latin-1 that legacy Western text is written in.
 * </ol>
 *
 * <p>Line ends are normalised: CR LF and lone CR become LF. Nothing else in the text is changed.
 */
final class TextDecoder {

  /**
   * In windows-1252 text a byte pair that is also valid UTF-8 needs an upper-case accented letter
   * or ß (C2..DF) directly followed by a symbol or punctuation byte (80..BF): rare, so valid
   * sequences are a small minority there. In a UTF-8 file damaged by a few stray bytes, or cut in
   * the middle of its last character, they are the majority. Two to one splits the cases with a
   * wide margin, and unlike a strict bar (say 99 to 1) it keeps a file with a handful of non-ASCII
   * characters and one bad byte in UTF-8, rather than garbling each of its characters as
   * windows-1252.
   */
  static final int MIN_VALID_UTF8_PER_INVALID = 2;

  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

  private static final char REPLACEMENT = '\uFFFD';

  /**
   * The decoded text.
   *
   * @param text the text, line ends normalised to '\n'
   * @param charset the name of the charset it was decoded with
   * @param replacedCharacters how many undecodable byte sequences became U+FFFD
   */
  record DecodedText(String text, String charset, int replacedCharacters) {}

  private TextDecoder() {}

  /** Decodes {@code content}; any byte sequence is accepted. */
  static DecodedText decode(byte[] content) {
    Optional<ByteOrderMark> bom = ByteOrderMark.of(content);
    if (bom.isPresent()) {
      return decode(content, bom.get().length(), bom.get().charset());
    }
    Optional<Charset> utf16 = BomlessUtf16.detect(content);
    if (utf16.isPresent()) {
      return decode(content, 0, utf16.get());
    }
    DecodedText utf8 = decode(content, 0, StandardCharsets.UTF_8);
    int invalid = utf8.replacedCharacters();
    if (invalid == 0) {
      return utf8;
    }
    // Each replacement is itself a non-ASCII character of the text: take them out of the count.
    long valid = countNonAsciiCharacters(utf8.text()) - invalid;
    if (valid >= (long) invalid * MIN_VALID_UTF8_PER_INVALID) {
      return utf8;
    }
    return decode(content, 0, WINDOWS_1252);
  }

  /**
   * Decodes {@code content} from {@code offset} on. Errors are reported rather than replaced by the
   * decoder so that they can be counted; each malformed or unmappable sequence is then skipped and
   * replaced by U+FFFD, which is exactly what {@link CodingErrorAction#REPLACE} would produce.
   */
  private static DecodedText decode(byte[] content, int offset, Charset charset) {
    CharsetDecoder decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(content, offset, content.length - offset);
    CharBuffer out =
        CharBuffer.allocate(
            capacity((long) (in.remaining() * (double) decoder.averageCharsPerByte())));
    int replaced = 0;
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      if (result.isUnderflow()) {
        break;
      }
      if (result.isOverflow()) {
        out = grow(out);
      } else {
        in.position(in.position() + result.length());
        if (!out.hasRemaining()) {
          out = grow(out);
        }
        out.put(REPLACEMENT);
        replaced++;
      }
    }
    while (decoder.flush(out).isOverflow()) {
      out = grow(out);
    }
    return new DecodedText(normaliseLineEnds(out), charset.name(), replaced);
  }

  /** Rewrites CR LF and lone CR as LF, in place, and returns the result. */
  private static String normaliseLineEnds(CharBuffer decoded) {
    char[] chars = decoded.array();
    int length = decoded.position();
    int write = 0;
    for (int read = 0; read < length; read++) {
      char c = chars[read];
      if (c == '\r') {
        c = '\n';
        if (read + 1 < length && chars[read + 1] == '\n') {
          read++;
        }
      }
      chars[write++] = c;
    }
    return new String(chars, 0, write);
  }

  /** Non-ASCII characters, counting a surrogate pair (one 4-byte UTF-8 sequence) once. */
  private static long countNonAsciiCharacters(String text) {
    long count = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x80 && !Character.isLowSurrogate(c)) {
        count++;
      }
    }
    return count;
  }

  private static CharBuffer grow(CharBuffer out) {
    CharBuffer bigger = CharBuffer.allocate(capacity(out.capacity() * 2L));
    out.flip();
    bigger.put(out);
    return bigger;
  }

  /** A buffer size of at least 16 chars, below the largest array the JVM allows. */
  private static int capacity(long wanted) {
    return (int) Math.min(Integer.MAX_VALUE - 16, Math.max(16, wanted + 16));
  }
}
