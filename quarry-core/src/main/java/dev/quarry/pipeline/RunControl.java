package dev.quarry.pipeline;

/**
 * Lets another thread stop a run gracefully (a Ctrl-C handler, a server shutting down): the run
 * commits what it has done and reports itself interrupted. It may be cancelled before the run has
 * started (while the model loads); the run then stops as soon as it starts.
 */
public final class RunControl {
  private volatile IndexRun run;
  private volatile boolean cancelled;

  public void cancel() {
    cancelled = true;
    IndexRun current = run;
    if (current != null) {
      current.cancel();
    }
  }

  public boolean cancelled() {
    return cancelled;
  }

  /** Makes {@code indexRun} the run this control stops. */
  void attach(IndexRun indexRun) {
    run = indexRun;
    if (cancelled) {
      indexRun.cancel();
    }
  }
}
