package dev.quarry.serve;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Bounds the time a client has to send its request's headers: from the moment its connection opens
 * (or its previous answer is sent) to the moment the server has the headers. A connection that
 * takes longer is closed.
 *
 * <p>Why not the idle timeout alone: it restarts with every byte, so a client that sends a byte a
 * second would hold its connection for ever. The body has the rest of the same time: the handler
 * asks {@link #enter} what is left and waits no longer for it.
 */
public final class ReadDeadlines implements Connection.Listener {
  private final Scheduler scheduler;
  private final Duration timeout;
  private final Map<Connection, Armed> armed = new ConcurrentHashMap<>();

  private record Armed(long deadlineNanos, Scheduler.Task task) {}

  public ReadDeadlines(Scheduler scheduler, Duration timeout) {
    this.scheduler = scheduler;
    this.timeout = timeout;
  }

  @Override
  public void onOpened(Connection connection) {
    arm(connection);
  }

  @Override
  public void onClosed(Connection connection) {
    Armed was = armed.remove(connection);
    if (was != null) {
      was.task().cancel();
    }
  }

  /**
   * Starts the clock for the next request on {@code connection}: call it when an answer is sent.
   */
  public void arm(Connection connection) {
    Scheduler.Task task =
        scheduler.schedule(() -> expire(connection), timeout.toNanos(), TimeUnit.NANOSECONDS);
    Armed was = armed.put(connection, new Armed(System.nanoTime() + timeout.toNanos(), task));
    if (was != null) {
      was.task().cancel();
    }
  }

  /**
   * The headers of a request on {@code connection} have arrived: stops its clock and returns the
   * time left for the body (the whole timeout when the connection is not known).
   */
  public Duration enter(Connection connection) {
    Armed was = armed.remove(connection);
    if (was == null) {
      return timeout;
    }
    was.task().cancel();
    return Duration.ofNanos(Math.max(0, was.deadlineNanos() - System.nanoTime()));
  }

  private void expire(Connection connection) {
    Armed was = armed.get(connection);
    if (was != null && was.deadlineNanos() - System.nanoTime() <= 0) {
      armed.remove(connection, was);
      connection.close();
    }
  }
}
