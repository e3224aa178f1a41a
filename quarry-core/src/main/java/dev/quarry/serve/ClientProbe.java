package dev.quarry.serve;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.io.EndPoint;

/**
 * Tells whether the client of a request that has waited for the model is still there.
 *
 * <p>Why a read of our own: once a request's body is read, Jetty does not read the connection again
 * until the answer is sent, so it does not see a client that gave up (its own timeout) and closed.
 * One non-blocking read of one byte does: end of stream or a reset means gone; nothing means still
 * waiting. A byte means the client sent its next request already (HTTP pipelining, which clients
 * hardly use): that byte is Jetty's no more, so the connection is closed after this answer and the
 * client, as HTTP says it must, sends that request again.
 *
 * <p>A client that shuts down its sending side and still waits for the answer reads as gone; such
 * clients are rare, and only requests that waited are probed.
 */
final class ClientProbe {
  enum Seen {
    WAITING,
    GONE,
    SENT_MORE
  }

  private ClientProbe() {}

  static Seen probe(EndPoint endPoint) {
    if (!endPoint.isOpen() || endPoint.isInputShutdown()) {
      return Seen.GONE;
    }
    if (!(endPoint.getTransport() instanceof SocketChannel channel) || channel.isBlocking()) {
      return Seen.WAITING; // not a plain socket (or one a read would block on): cannot tell
    }
    try {
      int read = channel.read(ByteBuffer.allocate(1));
      return read < 0 ? Seen.GONE : read == 0 ? Seen.WAITING : Seen.SENT_MORE;
    } catch (IOException e) {
      return Seen.GONE;
    }
  }
}
