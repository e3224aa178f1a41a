package dev.quarry.pipeline;

/** Follows a run as it goes (progress displays). Called from the run's threads; must be quick. */
public interface RunListener {
  RunListener NONE = new RunListener() {};

  /** One file's outcome. */
  default void onOutcome(FileOutcome outcome) {}

  /**
   * The walk (or the change list) handed on {@code count} more items, each of which gets one
   * outcome: with {@link #onWalkEnded}, what a progress display counts as the files to do.
   */
  default void onFound(int count) {}

  /** The walk went through every root (or the whole change list): nothing more will be found. */
  default void onWalkEnded() {}

  /** {@code count} chunks were embedded by the model. */
  default void onEmbedded(int count) {}

  /** {@code count} chunks were written without vectors and wait for the model (the backlog). */
  default void onQueuedForEmbedding(int count) {}

  /** Something degraded but the run goes on (a cache tier failed): worth one line to the user. */
  default void onWarning(String message) {}
}
