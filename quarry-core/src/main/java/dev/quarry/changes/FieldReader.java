package dev.quarry.changes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a byte stream into fields at a separator byte, holding at most one field in memory, and at
 * most {@code maxBytes} of it: the rest of an oversized field is skipped, not buffered, so a binary
 * file piped in by mistake cannot exhaust the heap. Not thread-safe.
 */
final class FieldReader {
  /** Bytes kept of an oversized field for its {@link BadRecord#text()}. */
  private static final int OVERSIZED_TEXT_BYTES = 200;

  private final InputStream in;
  private final byte separator;
  private final int maxBytes;
  // 64 KiB: large reads from a pipe, small enough to not matter next to the field cap.
  private final byte[] buffer = new byte[1 << 16];
  private int position;
  private int limit;
  private boolean endOfInput;
  private byte[] field = new byte[256];

  FieldReader(InputStream in, byte separator, int maxBytes) {
    this.in = in;
    this.separator = separator;
    this.maxBytes = maxBytes;
  }

  /**
   * A field: its first bytes (all of them unless it was over the cap) and its full length.
   *
   * @param bytes the field's bytes, at most the cap
   * @param length the field's length in the input, separator excluded
   */
  record Field(byte[] bytes, long length) {
    boolean oversized() {
      return length > bytes.length;
    }

    /** Why an oversized field is refused. */
    String oversizedReason() {
      return "record of "
          + length
          + " bytes is over the cap of "
          + bytes.length
          + " bytes (no path is that long): is the input a change list?";
    }

    /** The field for people: decoded leniently, an oversized one cut short with "…". */
    String text() {
      if (!oversized()) {
        return new String(bytes, StandardCharsets.UTF_8);
      }
      return new String(
              bytes, 0, Math.min(bytes.length, OVERSIZED_TEXT_BYTES), StandardCharsets.UTF_8)
          + "…";
    }
  }

  /** The next field, or null once the input is exhausted; a final field needs no separator. */
  Field next() throws IOException {
    int kept = 0;
    long length = 0;
    boolean started = false;
    while (true) {
      if (position == limit && !fill()) {
        return started ? new Field(Arrays.copyOf(field, kept), length) : null;
      }
      started = true;
      int end = position;
      while (end < limit && buffer[end] != separator) {
        end++;
      }
      int take = Math.min(end - position, maxBytes - kept);
      if (kept + take > field.length) {
        field = Arrays.copyOf(field, Math.min(maxBytes, Math.max(kept + take, field.length * 2)));
      }
      System.arraycopy(buffer, position, field, kept, take);
      kept += take;
      length += end - position;
      if (end < limit) {
        position = end + 1;
        return new Field(Arrays.copyOf(field, kept), length);
      }
      position = end;
    }
  }

  private boolean fill() throws IOException {
    if (endOfInput) {
      return false;
    }
    int n = in.read(buffer);
    while (n == 0) {
      n = in.read(buffer);
    }
    if (n < 0) {
      endOfInput = true;
      return false;
    }
    position = 0;
    limit = n;
    return true;
  }
}
