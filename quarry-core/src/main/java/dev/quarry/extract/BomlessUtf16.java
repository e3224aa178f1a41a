package dev.quarry.extract;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Recognises UTF-16 text written without a byte order mark (some Windows tools and .NET's {@code
 * Encoding.Unicode} without a preamble write it). Such text is full of NUL bytes, so without this
 * check it would be taken for binary.
 *
 * <p>The signal is the one people read by eye: in UTF-16 text of a Latin, Cyrillic, Greek, ...
 * script, the high byte of every ASCII character (spaces, digits, punctuation, line ends) is NUL,
 * so NULs pile up at every other position, and hardly ever at the positions in between; and every
 * 16-bit code unit is a character, not a control. Binary data has NULs at both parities (runs of
 * zeros in headers and padding). Text made mostly of CJK characters has few NUL bytes and is not
 * recognised; git does not recognise it either.
 */
final class BomlessUtf16 {

  /** Bytes looked at: a few KB gives a stable verdict and costs nothing on large files. */
  static final int SAMPLE_BYTES = 4096;

  /**
   * At least one code unit in this many must have a NUL high byte. In Cyrillic or Greek prose about
   * one character in six is a space, digit, punctuation or line end; Latin text is almost all such
   * units.
   */
  private static final int MIN_NUL_HIGH_BYTE_EVERY = 8;

  /**
   * At most one NUL in this many may fall on the other parity (U+0000 characters, or code units
   * such as U+0100 whose low byte is zero); binary data has them on both parities evenly.
   */
  private static final int MAX_NUL_LOW_BYTE_PER_HIGH = 16;

  /** At least this share of code units, in percent, must be characters rather than controls. */
  private static final int MIN_CHARACTER_PERCENT = 95;

  private BomlessUtf16() {}

  /** UTF-16LE or UTF-16BE when the start of {@code content} looks like BOM-less UTF-16 text. */
  static Optional<Charset> detect(byte[] content) {
    int units = Math.min(content.length, SAMPLE_BYTES) / 2;
    if (units == 0) {
      return Optional.empty();
    }
    int nulsAtEven = 0;
    int nulsAtOdd = 0;
    int charactersLittleEndian = 0;
    int charactersBigEndian = 0;
    for (int i = 0; i < units; i++) {
      int first = content[2 * i] & 0xFF;
      int second = content[2 * i + 1] & 0xFF;
      if (first == 0) {
        nulsAtEven++;
      }
      if (second == 0) {
        nulsAtOdd++;
      }
      if (isCharacter(second << 8 | first)) {
        charactersLittleEndian++;
      }
      if (isCharacter(first << 8 | second)) {
        charactersBigEndian++;
      }
    }
    if (looksLikeUtf16(nulsAtOdd, nulsAtEven, charactersLittleEndian, units)) {
      return Optional.of(StandardCharsets.UTF_16LE);
    }
    if (looksLikeUtf16(nulsAtEven, nulsAtOdd, charactersBigEndian, units)) {
      return Optional.of(StandardCharsets.UTF_16BE);
    }
    return Optional.empty();
  }

  private static boolean looksLikeUtf16(
      int nulHighBytes, int nulLowBytes, int characters, int units) {
    return nulHighBytes > 0
        && (long) nulHighBytes * MIN_NUL_HIGH_BYTE_EVERY >= units
        && (long) nulLowBytes * MAX_NUL_LOW_BYTE_PER_HIGH <= nulHighBytes
        && (long) characters * 100 >= (long) units * MIN_CHARACTER_PERCENT;
  }

  /** A code unit text is made of: whitespace, printable ASCII, or anything from U+00A0 up. */
  private static boolean isCharacter(int unit) {
    return unit == '\t'
        || unit == '\n'
        || unit == '\r'
        || unit == '\f'
        || (unit >= 0x20 && unit < 0x7F)
        || unit >= 0xA0;
  }
}
