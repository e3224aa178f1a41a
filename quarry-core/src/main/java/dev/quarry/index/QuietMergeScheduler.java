package dev.quarry.index;

import org.apache.lucene.index.ConcurrentMergeScheduler;

/**
 * Lucene's concurrent merges, minus the stack trace: a merge that fails (a full disk) is rethrown
 * by Lucene's scheduler into its own thread, whose default handler printed some thirty lines to
 * stderr in the middle of a run's output. Nothing is lost by not rethrowing it: the writer has
 * recorded the failure as its tragic exception already (it closes on a failed merge), which is what
 * {@link QuarryIndex#writeFailure()} gives the run to name as its cause.
 */
final class QuietMergeScheduler extends ConcurrentMergeScheduler {
  /**
   * Merges running at once: Lucene's own default for a solid-state disk, made explicit because the
   * merge policy shares the heap among them ({@link HeapBoundedMergePolicy}).
   */
  static final int THREADS =
      Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));

  QuietMergeScheduler() {
    setMaxMergesAndThreads(THREADS + 5, THREADS);
  }

  @Override
  protected void handleMergeException(Throwable exc) {
    // Reported by the run through the writer's tragic exception, in one line.
  }
}
