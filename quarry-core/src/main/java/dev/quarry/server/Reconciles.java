package dev.quarry.server;

import dev.quarry.pipeline.RunControl;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The server's reconciles (incremental runs over its roots), one at a time on a thread of their
 * own: started at start-up or by {@code POST /v1/index}, each followed by the session reading its
 * commit. Thread-safe.
 */
final class Reconciles implements AutoCloseable {
  private final Optional<SearchServer.Reconciler> reconciler;
  private final ServedSession session;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "quarry-reconcile"));
  private final AtomicBoolean running = new AtomicBoolean();
  private final RunControl control = new RunControl();
  private volatile String lastError;
  private volatile CompletableFuture<Void> last = CompletableFuture.completedFuture(null);

  Reconciles(Optional<SearchServer.Reconciler> reconciler, ServedSession session) {
    this.reconciler = reconciler;
    this.session = session;
  }

  boolean possible() {
    return reconciler.isPresent();
  }

  boolean running() {
    return running.get();
  }

  /** The last reconcile's failure; null when it succeeded (or none ran). */
  String lastError() {
    return lastError;
  }

  /**
   * Starts a reconcile in the background, unless one runs, there is no reconciler, or the server is
   * closing.
   *
   * @return whether one was started
   */
  boolean start() {
    if (reconciler.isEmpty() || control.cancelled() || !running.compareAndSet(false, true)) {
      return false;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    last = done;
    thread.execute(
        () -> {
          try {
            reconciler.get().reconcile(control);
            lastError = null;
          } catch (IOException | RuntimeException e) {
            lastError = e.getMessage();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            try {
              session.afterRun();
            } catch (IOException e) {
              lastError = e.getMessage();
            }
            running.set(false);
            done.complete(null);
          }
        });
    return true;
  }

  /** Waits for the reconcile started last. */
  void awaitLast(Duration timeout)
      throws InterruptedException, TimeoutException, ExecutionException {
    last.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Cancels a running reconcile (it commits what it has done and stops) and waits for it. */
  @Override
  public void close() {
    control.cancel();
    thread.shutdown();
    try {
      if (!thread.awaitTermination(5, TimeUnit.MINUTES)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
