package dev.quarry.extract;

import java.util.Optional;

/**
 * Tells binary content from text by looking at its first bytes, whatever the file's extension says
 * (a PNG renamed {@code .java} is still binary).
 *
 * <p>The main rule is git's: a NUL byte in the first {@value #SNIFF_BYTES} bytes means binary,
 * except that UTF-16 and UTF-32 text (announced by a byte order mark, or recognised by {@link
 * BomlessUtf16}) is full of NULs and is text. A second rule catches short binary files that happen
 * to hold no NUL: more than one byte in {@value #MAX_CONTROL_BYTE_EVERY} is a control character
 * that text does not use.
 */
final class BinarySniffer {

  /**
   * Git's window ({@code FIRST_FEW_BYTES} in xdiff-interface.c), so both agree on what is binary.
   */
  static final int SNIFF_BYTES = 8000;

  /**
   * Random or compressed bytes hold about one such control byte in eleven; text holds next to none.
   * One in sixteen sits far above any text, and far enough below noise that random samples of a
   * kilobyte or more are caught all but always (shorter ones usually hold a NUL anyway).
   */
  static final int MAX_CONTROL_BYTE_EVERY = 16;

  private BinarySniffer() {}

  /** Whether {@code content} is binary rather than text in some encoding. */
  static boolean isBinary(byte[] content) {
    Optional<ByteOrderMark> bom = ByteOrderMark.of(content);
    if (bom.isPresent() && bom.get().isWide()) {
      return false;
    }
    int end = Math.min(content.length, SNIFF_BYTES);
    int controlBytes = 0;
    boolean hasNul = false;
    for (int i = 0; i < end; i++) {
      int b = content[i] & 0xFF;
      if (b == 0) {
        hasNul = true;
        break;
      }
      if (isControlTextDoesNotUse(b)) {
        controlBytes++;
      }
    }
    if (hasNul) {
      return BomlessUtf16.detect(content).isEmpty();
    }
    return controlBytes * MAX_CONTROL_BYTE_EVERY > end;
  }

  /**
   * C0 controls and DEL, except those found in real text files: tab, line feed, vertical tab, form
   * feed, carriage return, backspace and bell (terminal output, man pages), escape (ANSI colours in
   * logs) and SUB (the DOS end-of-file mark).
   */
  private static boolean isControlTextDoesNotUse(int b) {
    return switch (b) {
      case 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1A, 0x1B -> false;
      default -> b < 0x20 || b == 0x7F;
    };
  }
}
