package dev.quarry.server;

import dev.quarry.serve.Admission;
import java.util.function.Supplier;

/** Work a route does within the server's admission: 503 when every place is taken. */
final class Admitted {
  private Admitted() {}

  /**
   * Runs {@code work} once the admission lets it compute.
   *
   * @throws HttpError 503 (with Retry-After) when the server is full, or when interrupted waiting
   */
  static <T> T run(Admission admission, Supplier<T> work) {
    if (!admission.tryEnter()) {
      throw new HttpError(503, "the server is busy; retry later", "Retry-After", "1");
    }
    try {
      admission.awaitTurn();
      try {
        return work.get();
      } finally {
        admission.done();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpError(503, "interrupted");
    } finally {
      admission.leave();
    }
  }
}
