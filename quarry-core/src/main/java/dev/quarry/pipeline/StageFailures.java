package dev.quarry.pipeline;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The cross-thread failure protocol of a run: every stage thread records its failure here, the
 * first failure wins, and every stage that waits on another (a put on a full queue, the books
 * waiting for results) checks here so that a dead stage ends the run instead of hanging it.
 *
 * <p>The rule that keeps a failing run from destroying data: a stage records its failure
 * <em>before</em> it signals its end downstream. A stage that put its end first could let the books
 * finish and delete every file the failed stage had not passed on, before the failure was seen (it
 * happened: a worker's error deleted a whole tree). Thread-safe.
 */
final class StageFailures {
  /** How often a blocked put looks for a dead stage. */
  private static final long PUT_RETRY_MILLIS = 200;

  private final AtomicReference<Throwable> first = new AtomicReference<>();

  /** Records {@code failure} unless an earlier one was recorded. */
  void record(Throwable failure) {
    first.compareAndSet(null, failure);
  }

  boolean any() {
    return first.get() != null;
  }

  /** Throws the first recorded failure, if any, as the run's failure. */
  void rethrow() throws IOException {
    Throwable t = first.get();
    if (t instanceof IOException io) {
      throw io;
    }
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t instanceof Error err) {
      throw err;
    }
    if (t != null) {
      throw new IOException("indexing failed: " + t, t);
    }
  }

  /** Puts {@code item}, giving up with the cause when a stage died (nobody would ever take it). */
  <T> void put(BoundedQueue<T> queue, T item) throws IOException, InterruptedException {
    while (!queue.offer(item, PUT_RETRY_MILLIS, TimeUnit.MILLISECONDS)) {
      rethrow();
    }
  }

  /**
   * A daemon thread (not started) running {@code body}; whatever it throws is recorded (an
   * interrupt, the run's own way of stopping its threads, is not a failure).
   */
  Thread thread(String name, Body body) {
    return Thread.ofPlatform()
        .name(name)
        .daemon()
        .unstarted(
            () -> {
              try {
                body.run();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (Throwable t) {
                record(t);
              }
            });
  }

  /** A stage's work. */
  @FunctionalInterface
  interface Body {
    void run() throws Exception;
  }
}
