package dev.quarry.watch;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a condition until it holds, with a generous bound: tests never race the clock. */
final class Awaits {
  static final Duration LIMIT = Duration.ofSeconds(30);

  private Awaits() {}

  static void await(String what, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + LIMIT + ": " + what);
      }
      Thread.sleep(20);
    }
  }

  /** Whether a live thread has this name. */
  static boolean threadNamed(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.isAlive() && t.getName().equals(name));
  }
}
