package dev.quarry.extract;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** A Unicode byte order mark at the start of a file, which names the file's encoding. */
enum ByteOrderMark {
  // UTF-32LE must be tried before UTF-16LE: its mark FF FE 00 00 starts with UTF-16LE's FF FE.
  UTF_32LE(Charset.forName("UTF-32LE"), 0xFF, 0xFE, 0x00, 0x00),
  UTF_32BE(Charset.forName("UTF-32BE"), 0x00, 0x00, 0xFE, 0xFF),
  UTF_8(StandardCharsets.UTF_8, 0xEF, 0xBB, 0xBF),
  UTF_16LE(StandardCharsets.UTF_16LE, 0xFF, 0xFE),
  UTF_16BE(StandardCharsets.UTF_16BE, 0xFE, 0xFF);

  private final Charset charset;
  private final byte[] mark;

  ByteOrderMark(Charset charset, int... mark) {
    this.charset = charset;
    this.mark = new byte[mark.length];
    for (int i = 0; i < mark.length; i++) {
      this.mark[i] = (byte) mark[i];
    }
  }

  /** The mark {@code content} starts with, if any. */
  static Optional<ByteOrderMark> of(byte[] content) {
    for (ByteOrderMark bom : values()) {
      if (bom.isPrefixOf(content)) {
        return Optional.of(bom);
      }
    }
    return Optional.empty();
  }

  /** The encoding the mark announces; the text starts right after the mark. */
  Charset charset() {
    return charset;
  }

  /** How many bytes the mark takes. */
  int length() {
    return mark.length;
  }

  /** True for UTF-16 and UTF-32, whose text is full of NUL bytes and must not look binary. */
  boolean isWide() {
    return this != UTF_8;
  }

  private boolean isPrefixOf(byte[] content) {
    if (content.length < mark.length) {
      return false;
    }
    for (int i = 0; i < mark.length; i++) {
      if (content[i] != mark[i]) {
        return false;
      }
    }
    return true;
  }
}
