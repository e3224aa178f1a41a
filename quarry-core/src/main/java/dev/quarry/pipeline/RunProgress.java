package dev.quarry.pipeline;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The run in progress, as the runs given to it (see {@link RunAssembler#progress}) report it: for a
 * status page of a process that runs many (the watch of {@code quarry serve}). One run at a time is
 * shown, the one begun last; counts come from the same events as the CLI's progress display.
 * Thread-safe.
 */
public final class RunProgress {
  private volatile Tracked current;

  /**
   * What the run in progress has done so far.
   *
   * @param kind "index" (a walk of the roots) or "sync" (a change list)
   * @param startedAt when it started
   * @param elapsedSeconds how long it has run
   * @param filesDone files with an outcome so far
   * @param filesFound files the walk (or change list) handed on so far; an index run may remove
   *     files it did not find, so {@code filesDone} can pass it
   * @param walkEnded whether the walk is over: {@code filesFound} is then the files to do
   * @param indexed files indexed (new or changed)
   * @param unchanged files found unchanged
   * @param deleted files removed from the index
   * @param skipped files skipped (ignored, binary, too large)
   * @param failed files that failed
   * @param chunksWritten chunks written
   * @param chunksEmbedded chunks the model embedded
   * @param embedBacklog chunks written that still wait for their vectors
   */
  public record Snapshot(
      String kind,
      Instant startedAt,
      double elapsedSeconds,
      long filesDone,
      long filesFound,
      boolean walkEnded,
      long indexed,
      long unchanged,
      long deleted,
      long skipped,
      long failed,
      long chunksWritten,
      long chunksEmbedded,
      long embedBacklog) {}

  /** The run in progress; empty when none is. */
  public Optional<Snapshot> current() {
    Tracked run = current;
    return run == null ? Optional.empty() : Optional.of(run.snapshot());
  }

  /** Shows a run that starts now; the listener returned counts its events, then passes them on. */
  RunListener begin(String kind, Instant startedAt, RunListener next) {
    Tracked run = new Tracked(kind, startedAt, Objects.requireNonNull(next, "listener"));
    current = run;
    return run;
  }

  /** The run {@code begun} (what {@link #begin} returned) has ended. */
  void end(RunListener begun) {
    if (current == begun) {
      current = null;
    }
  }

  /** One run's counts; its listener methods come from the run's threads. */
  private static final class Tracked implements RunListener {
    private final String kind;
    private final Instant startedAt;
    private final long startNanos = System.nanoTime();
    private final RunListener next;
    private final AtomicLong found = new AtomicLong();
    private volatile boolean walkEnded;
    private final AtomicLong indexed = new AtomicLong();
    private final AtomicLong unchanged = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong chunks = new AtomicLong();
    private final AtomicLong embedded = new AtomicLong();
    private final AtomicLong queued = new AtomicLong();

    Tracked(String kind, Instant startedAt, RunListener next) {
      this.kind = kind;
      this.startedAt = startedAt;
      this.next = next;
    }

    Snapshot snapshot() {
      long done = indexed.get() + unchanged.get() + deleted.get() + skipped.get() + failed.get();
      long embeddedNow = embedded.get();
      return new Snapshot(
          kind,
          startedAt,
          (System.nanoTime() - startNanos) / 1e9,
          done,
          found.get(),
          walkEnded,
          indexed.get(),
          unchanged.get(),
          deleted.get(),
          skipped.get(),
          failed.get(),
          chunks.get(),
          embeddedNow,
          Math.max(0, queued.get() - embeddedNow));
    }

    @Override
    public void onFound(int count) {
      found.addAndGet(count);
      next.onFound(count);
    }

    @Override
    public void onWalkEnded() {
      walkEnded = true;
      next.onWalkEnded();
    }

    @Override
    public void onOutcome(FileOutcome outcome) {
      switch (outcome) {
        case FileOutcome.Indexed i -> {
          indexed.incrementAndGet();
          chunks.addAndGet(i.chunks());
        }
        case FileOutcome.Unchanged u -> unchanged.incrementAndGet();
        case FileOutcome.Deleted d -> deleted.incrementAndGet();
        case FileOutcome.Skipped s -> skipped.incrementAndGet();
        case FileOutcome.Failed f -> failed.incrementAndGet();
      }
      next.onOutcome(outcome);
    }

    @Override
    public void onEmbedded(int count) {
      embedded.addAndGet(count);
      next.onEmbedded(count);
    }

    @Override
    public void onQueuedForEmbedding(int count) {
      queued.addAndGet(count);
      next.onQueuedForEmbedding(count);
    }

    @Override
    public void onWarning(String message) {
      next.onWarning(message);
    }
  }
}
