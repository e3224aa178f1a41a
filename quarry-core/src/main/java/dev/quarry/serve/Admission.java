package dev.quarry.serve;

import java.util.concurrent.Semaphore;

/**
 * Bounds the requests the model works on at once and those waiting for it. The model is CPU-bound:
 * more requests at once only share the cores and make each slower, and an unbounded queue lets
 * clients pile up work (and memory) without end. Waiting is in arrival order.
 */
public final class Admission {
  private final Semaphore places;
  private final Semaphore computing;

  public Admission(int maxComputing, int maxQueued) {
    this.places = new Semaphore(maxComputing + maxQueued);
    this.computing = new Semaphore(maxComputing, true);
  }

  /** A place among those computing or waiting, or false when all are taken (answer 503). */
  public boolean tryEnter() {
    return places.tryAcquire();
  }

  /** Gives back a place taken by {@link #tryEnter}. */
  public void leave() {
    places.release();
  }

  /**
   * Waits for the model; the caller then computes and calls {@link #done}.
   *
   * @return whether it had to wait (the model was busy)
   */
  public boolean awaitTurn() throws InterruptedException {
    if (computing.tryAcquire()) {
      return false;
    }
    computing.acquire();
    return true;
  }

  public void done() {
    computing.release();
  }

  /** The requests waiting for the model now. */
  public int waiting() {
    return computing.getQueueLength();
  }
}
