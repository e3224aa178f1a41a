package dev.quarry.changes;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** A path's raw bytes to a String: strict UTF-8, not empty, no NUL. Not thread-safe. */
final class PathDecoder {
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);

  /**
   * Decodes {@code bytes}.
   *
   * @param what the path's role for messages: "path", "old path", "new path"
   */
  String decode(byte[] bytes, String what) throws MalformedRecordException {
    if (bytes.length == 0) {
      throw new MalformedRecordException("empty " + what);
    }
    for (byte b : bytes) {
      if (b == 0) {
        throw new MalformedRecordException(
            what + " contains a NUL byte, which no file name can hold");
      }
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    // UTF-8 never takes fewer bytes than the UTF-16 chars it decodes to.
    CharBuffer out = CharBuffer.allocate(bytes.length);
    utf8.reset();
    CoderResult result = utf8.decode(in, out, true);
    if (!result.isError()) {
      result = utf8.flush(out);
    }
    if (result.isError()) {
      throw new MalformedRecordException(
          String.format(
              "%s is not valid UTF-8 (byte 0x%02x at offset %d): paths must be UTF-8",
              what, bytes[in.position()] & 0xff, in.position()));
    }
    return out.flip().toString();
  }
}
