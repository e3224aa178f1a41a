package dev.quarry.serve;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;

/** What both servers do with a request body they refuse. */
public final class RequestBodies {
  /** Bodies read and dropped before a 413, so that the client still writing them reads it. */
  private static final long DRAINED_AT_MOST = 1 << 20;

  private RequestBodies() {}

  /**
   * Reads and drops a body of at most {@link #DRAINED_AT_MOST} bytes (within the request's time
   * left): answered while it is still sending, a client would meet a closed connection instead of
   * the 413 ("header parser received no bytes", as the tests did on a busy machine). A larger one
   * is not read: the connection closes.
   */
  public static void drainIfSmall(Request request, Duration left) {
    if (request.getLength() > DRAINED_AT_MOST) {
      return;
    }
    CompletableFuture<Void> drained = new CompletableFuture<>();
    Content.Source.consumeAll(
        request, Callback.from(() -> drained.complete(null), drained::completeExceptionally));
    try {
      drained.get(left.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Not all of it came: the 413 goes out anyway, and the connection closes.
    }
  }
}
