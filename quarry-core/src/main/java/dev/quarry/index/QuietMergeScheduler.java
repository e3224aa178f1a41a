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
   * Merges at once: Lucene's own default for a solid-state disk, made explicit because the merge
   * policy shares the heap among them ({@link HeapBoundedMergePolicy}).
   */
  static final int THREADS =
      Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));

  /**
   * As many merges pending as running. Lucene's default lets five more start and pauses them, but a
   * paused merge keeps the part of its vector graph it has built on the heap: a 300k-file run held
   * two graphs, about 200,000 nodes, in a 256 MB heap. With none waiting, a writer that needs one
   * more merge waits for the running one instead: memory stays bounded, indexing slows while large
   * merges run.
   */
  QuietMergeScheduler() {
    setMaxMergesAndThreads(THREADS, THREADS);
  }

  @Override
  protected void handleMergeException(Throwable exc) {
    // Reported by the run through the writer's tragic exception, in one line.
  }
}
