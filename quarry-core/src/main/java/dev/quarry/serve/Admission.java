package dev.quarry.serve;

import java.util.concurrent.Semaphore;

/**
 * Bounds the requests the model works on at once and those waiting for it. The model is CPU-bound:
 * more requests at once only share the cores and make each slower, and an unbounded queue lets
 * clients pile up work (and memory) without end. Waiting is in arrival order.
 */
final class Admission {
  private final Semaphore places;
  private final Semaphore computing;

  Admission(int maxComputing, int maxQueued) {
    this.places = new Semaphore(maxComputing + maxQueued);
    this.computing = new Semaphore(maxComputing, true);
  }

  /** A place among those computing or waiting, or false when all are taken (answer 503). */
  boolean tryEnter() {
    return places.tryAcquire();
  }

  /** Gives back a place taken by {@link #tryEnter}. */
  void leave() {
    places.release();
  }

  /**
   * Waits for the model; the caller then computes and calls {@link #done}.
   *
   * @return whether it had to wait (the model was busy)
   */
  boolean awaitTurn() throws InterruptedException {
    if (computing.tryAcquire()) {
      return false;
    }
    computing.acquire();
    return true;
  }

  void done() {
    computing.release();
  }

  /** The requests waiting for the model now. */
  int waiting() {
    return computing.getQueueLength();
  }
}
