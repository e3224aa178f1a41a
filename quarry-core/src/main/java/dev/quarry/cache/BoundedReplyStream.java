package dev.quarry.cache;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes a Redis server sends, checked as they arrive, before the client library parses them.
 * The library (Jedis) allocates what a reply header announces ({@code *2147483647} makes an array
 * of that many slots, {@code $2000000000} a 2 GB byte array) and recurses into nested arrays, so
 * one hostile or broken server could end the process with an {@link OutOfMemoryError} or a {@link
 * StackOverflowError}; Jedis offers no limit of its own. This stream tracks RESP2 framing and fails
 * with a {@link ReplyRejectedException} (an {@link IOException}, which Jedis reports as a broken
 * connection) as soon as:
 *
 * <ul>
 *   <li>a reply (one top-level value, nested values included) passes {@code maxReplyBytes};
 *   <li>a header announces more than the rest of that budget could hold (a bulk length, or an array
 *       count at 3 bytes an element, the smallest a RESP2 element can be);
 *   <li>arrays nest deeper than {@link #MAX_DEPTH};
 *   <li>a byte is not RESP2 (an unknown type, a length that is not a number).
 * </ul>
 *
 * <p>What Jedis allocates for one reply is so bounded by a small multiple of {@code maxReplyBytes}.
 * Once failed, the stream stays failed (the connection is discarded). Not thread-safe: one
 * connection's reader.
 */
final class BoundedReplyStream extends FilterInputStream {
  /** Quarry's commands get flat arrays; the handshake, arrays of arrays at most. */
  static final int MAX_DEPTH = 4;

  // 18 digits cannot overflow a long; any length that long is refused by the budget anyway.
  private static final int MAX_HEADER_DIGITS = 18;

  private enum State {
    TYPE,
    HEADER,
    HEADER_LF,
    BULK
  }

  private final long maxReplyBytes;
  private final long[] open = new long[MAX_DEPTH]; // elements still due in each open array
  private int depth;
  private long replyBytes;
  private State state = State.TYPE;
  private byte type;
  private long number;
  private int digits;
  private boolean negative;
  private long bulkLeft;
  private ReplyRejectedException failure;

  BoundedReplyStream(InputStream in, long maxReplyBytes) {
    super(in);
    this.maxReplyBytes = maxReplyBytes;
  }

  @Override
  public int read() throws IOException {
    checkNotFailed();
    int b = super.read();
    if (b >= 0) {
      scan((byte) b);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    checkNotFailed();
    int n = super.read(buffer, offset, length);
    for (int i = 0; i < n; i++) {
      scan(buffer[offset + i]);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipped bytes must be scanned too, or the framing would be lost.
    byte[] sink = new byte[(int) Math.min(n, 8192)];
    int read = read(sink, 0, sink.length);
    return Math.max(0, read);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void checkNotFailed() throws ReplyRejectedException {
    if (failure != null) {
      throw failure;
    }
  }

  private void scan(byte b) throws ReplyRejectedException {
    if (++replyBytes > maxReplyBytes) {
      fail("a reply longer than " + maxReplyBytes + " bytes");
    }
    switch (state) {
      case TYPE -> {
        if (b != '+' && b != '-' && b != ':' && b != '$' && b != '*') {
          fail("a byte that starts no RESP2 value (" + (b & 0xff) + ")");
        }
        type = b;
        number = 0;
        digits = 0;
        negative = false;
        state = State.HEADER;
      }
      case HEADER -> {
        if (b == '\r') {
          state = State.HEADER_LF;
        } else if (type == '$' || type == '*') {
          lengthDigit(b);
        }
      }
      case HEADER_LF -> {
        if (b != '\n') {
          fail("a header line not ended by CRLF");
        }
        headerDone();
      }
      case BULK -> {
        if (--bulkLeft == 0) {
          elementDone();
        }
      }
    }
  }

  private void lengthDigit(byte b) throws ReplyRejectedException {
    if (b == '-' && digits == 0 && !negative) {
      negative = true;
    } else if (b >= '0' && b <= '9' && digits < MAX_HEADER_DIGITS) {
      number = number * 10 + (b - '0');
      digits++;
    } else {
      fail("a length that is not a number");
    }
  }

  private void headerDone() throws ReplyRejectedException {
    if (type != '$' && type != '*') {
      elementDone();
      return;
    }
    if (digits == 0 || (negative && number != 1)) {
      fail("a length that is neither a count nor -1");
    }
    if (negative) { // a nil bulk string or array
      elementDone();
      return;
    }
    long budget = maxReplyBytes - replyBytes;
    if (type == '$') {
      if (number + 2 > budget) {
        fail("a " + number + "-byte value in a reply limited to " + maxReplyBytes + " bytes");
      }
      bulkLeft = number + 2; // the value and its CRLF
      state = State.BULK;
      return;
    }
    if (number > budget / 3) {
      fail("an array of " + number + " elements in a reply limited to " + maxReplyBytes + " bytes");
    }
    if (number == 0) {
      elementDone();
      return;
    }
    if (depth == MAX_DEPTH) {
      fail("arrays nested deeper than " + MAX_DEPTH);
    }
    open[depth++] = number;
    state = State.TYPE;
  }

  /** One value is complete: it counts against its array, which may complete in turn. */
  private void elementDone() {
    state = State.TYPE;
    while (depth > 0) {
      if (--open[depth - 1] > 0) {
        return;
      }
      depth--;
    }
    replyBytes = 0; // a whole reply has arrived: the next one has a budget of its own
  }

  private void fail(String what) throws ReplyRejectedException {
    failure = new ReplyRejectedException("the server sent " + what + "; connection dropped");
    throw failure;
  }

  /** The server sent more, or other, than a reply may hold: the connection is dropped. */
  static final class ReplyRejectedException extends IOException {
    private static final long serialVersionUID = 1L;

    ReplyRejectedException(String message) {
      super(message);
    }
  }
}
