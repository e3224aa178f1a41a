package dev.quarry.extract;

/**
 * Git's test for binary content: a NUL byte among the first 8000 bytes. Text in UTF-16 or UTF-32
 * has NULs too, so a BOM or the UTF-16 NUL pattern overrules it.
 */
final class BinarySniffer {
  private static final int SNIFF_BYTES = 8000;

  private BinarySniffer() {}

  static boolean isBinary(byte[] content) {
    int n = Math.min(content.length, SNIFF_BYTES);
    boolean nul = false;
    for (int i = 0; i < n; i++) {
      if (content[i] == 0) {
        nul = true;
        break;
      }
    }
    if (!nul) {
      return false;
    }
    TextDecoder.Detected detected = TextDecoder.detect(content);
    return detected.bomLength() == 0 && TextDecoder.bomLessUtf16(content) == null;
  }
}
