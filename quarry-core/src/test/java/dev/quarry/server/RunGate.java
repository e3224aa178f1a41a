package dev.quarry.server;

import dev.quarry.pipeline.FileOutcome;
import dev.quarry.pipeline.RunListener;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds the run that reports an outcome while armed, until released: a run caught midway, for a
 * test to look at it in progress without racing it.
 */
final class RunGate implements RunListener {
  private static final long LIMIT_SECONDS = 60;

  volatile CountDownLatch reached;
  volatile CountDownLatch release;

  void arm() {
    reached = new CountDownLatch(1);
    release = new CountDownLatch(1);
  }

  /** Lets the held run go on, and every later one pass. */
  void open() {
    CountDownLatch held = release;
    release = null;
    if (held != null) {
      held.countDown();
    }
  }

  @Override
  public void onOutcome(FileOutcome outcome) {
    CountDownLatch held = release;
    if (held != null) {
      reached.countDown();
      try {
        held.await(LIMIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
