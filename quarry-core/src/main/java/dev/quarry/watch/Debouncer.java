package dev.quarry.watch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Gathers the paths of file-system events into batches: a batch is due once no event came for the
 * quiet period, or once its first event is the longest delay old while events keep coming (a {@code
 * git checkout} of thousands of files gives one or a few batches, a file saved every 100 ms still
 * gets indexed). A reconcile request replaces the paths gathered: a walk covers them. Too many
 * paths in one batch become a reconcile too, so memory stays bounded whatever the tree does.
 *
 * <p>Passive and clock-free: the caller passes the time (nanoseconds, any origin) to each call and
 * asks when the next batch is due, so tests drive it with a fake clock. Not thread-safe: one
 * watcher thread owns it.
 */
final class Debouncer {
  private final long quietNanos;
  private final long maxDelayNanos;
  private final int maxPaths;

  private Set<Path> paths = new LinkedHashSet<>();
  private String reconcile; // why, when a walk is needed instead of the paths
  private boolean pending;
  private long firstAt;
  private long lastAt;

  Debouncer(Duration quiet, Duration maxDelay, int maxPaths) {
    if (quiet.isNegative() || quiet.isZero()) {
      throw new IllegalArgumentException("quiet period must be positive, got " + quiet);
    }
    if (maxDelay.compareTo(quiet) < 0) {
      throw new IllegalArgumentException(
          "longest delay " + maxDelay + " must be at least the quiet period " + quiet);
    }
    if (maxPaths < 1) {
      throw new IllegalArgumentException("maxPaths must be at least 1, got " + maxPaths);
    }
    this.quietNanos = quiet.toNanos();
    this.maxDelayNanos = maxDelay.toNanos();
    this.maxPaths = maxPaths;
  }

  /** Records that {@code path} may have changed at {@code now}. */
  void changed(Path path, long now) {
    touch(now);
    if (reconcile == null) {
      paths.add(path);
      if (paths.size() > maxPaths) {
        reconcile("more than " + maxPaths + " paths changed at once", now);
      }
    }
  }

  /** Records that only a walk can bring the index up to date, because of {@code why}. */
  void reconcile(String why, long now) {
    touch(now);
    if (reconcile == null) {
      reconcile = why;
      paths = new LinkedHashSet<>();
    }
  }

  /** The batch due at {@code now}, if one is; the debouncer is then empty. */
  Optional<WatchEvent> poll(long now) {
    if (!pending || nanosUntilDue(now) > 0) {
      return Optional.empty();
    }
    WatchEvent event =
        reconcile != null
            ? new WatchEvent.ReconcileNeeded(reconcile)
            : new WatchEvent.Changed(paths);
    paths = new LinkedHashSet<>();
    reconcile = null;
    pending = false;
    return Optional.of(event);
  }

  /** Nanoseconds from {@code now} until a batch is due (0 or less: due); MAX_VALUE when empty. */
  long nanosUntilDue(long now) {
    if (!pending) {
      return Long.MAX_VALUE;
    }
    return Math.min(lastAt + quietNanos, firstAt + maxDelayNanos) - now;
  }

  /** When the first event of the batch being gathered (or of the one last polled) came. */
  long firstEventAt() {
    return firstAt;
  }

  /** Paths gathered for the next batch (0 while a reconcile is pending). */
  int pendingPaths() {
    return paths.size();
  }

  private void touch(long now) {
    if (!pending) {
      pending = true;
      firstAt = now;
    }
    lastAt = now;
  }
}
