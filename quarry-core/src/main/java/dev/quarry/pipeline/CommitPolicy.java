package dev.quarry.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When a run commits: once {@code interval} has passed since the last commit, or once {@code
 * chunks} chunks were written since it, whichever comes first. Time comes from the injected clock,
 * so the rhythm is testable without waiting. Thread-safe: workers and the vector writer count
 * chunks while the books ask whether a commit is due.
 */
final class CommitPolicy {
  private final Clock clock;
  private final Duration interval;
  private final long chunks;
  private final AtomicLong chunksSinceCommit = new AtomicLong();
  private volatile Instant lastCommit;

  CommitPolicy(Clock clock, Duration interval, long chunks) {
    this.clock = clock;
    this.interval = interval;
    this.chunks = chunks;
    this.lastCommit = clock.instant();
  }

  /** {@code count} chunks were written (not yet committed). */
  void written(int count) {
    chunksSinceCommit.addAndGet(count);
  }

  boolean due() {
    return chunksSinceCommit.get() >= chunks
        || Duration.between(lastCommit, clock.instant()).compareTo(interval) > 0;
  }

  /** A commit is starting: what was written so far is in it. */
  void committing() {
    chunksSinceCommit.set(0);
  }

  /** A commit ended: the interval counts from now. */
  void committed() {
    lastCommit = clock.instant();
  }
}
