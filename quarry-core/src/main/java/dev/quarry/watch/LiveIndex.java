package dev.quarry.watch;

import dev.quarry.changes.ChangeRequest;
import dev.quarry.index.IndexInventory;
import dev.quarry.index.QuarryIndex;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.pipeline.ModelPool;
import dev.quarry.pipeline.ResidentWriter;
import dev.quarry.pipeline.RunAssembler;
import dev.quarry.pipeline.RunControl;
import dev.quarry.pipeline.RunSummary;
import dev.quarry.store.IndexStore;
import dev.quarry.store.RemoteStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Keeps an index live: a start-up reconcile (an index run, a walk of the roots), then the batches
 * of a {@link TreeWatcher} applied as sync runs, the same pipeline as {@code quarry sync}: the
 * watcher only says which paths may have changed, the disk decides what each means (a file indexed
 * or found unchanged, a missing one removed). A path that is gone also stands for the indexed files
 * under it (a directory deleted or renamed away). A reconcile request from the watcher runs an
 * index run.
 *
 * <p>One run at a time, on a thread of its own ({@code quarry-live-index}); the watcher is started
 * before the start-up reconcile, so nothing changed during it is missed. Batches that arrive while
 * a run works are merged into one next run; a pending reconcile absorbs them. A run that fails (the
 * index locked by another writer, a full disk) is recorded in {@link #status()} and followed, after
 * {@code retryDelay}, by a reconcile, since its paths are not known to be applied. A root that is
 * gone (deleted, moved, unmounted) pauses the runs, the index kept as it is, until the watcher sees
 * it back and asks for a reconcile. What is wrong now is {@link Status#problem()}, and each change
 * of it is a line for the log given to {@code start}.
 *
 * <p>{@link #close()} stops watching, cancels the run in progress gracefully (it commits what it
 * did, see {@link RunControl}) and joins the thread. Thread-safe.
 */
public final class LiveIndex implements AutoCloseable {
  static final Duration RETRY_DELAY = Duration.ofSeconds(5);

  private final IndexOptions options;
  private final UnaryOperator<RunAssembler> configure;
  private final Duration retryDelay;
  private final Clock clock;
  private final ProblemLog problems; // what is wrong now, logged when it changes
  private final Thread thread;
  private final ModelPool models = new ModelPool(); // loaded once, not once a run
  private final ResidentWriter writer; // one writer and its lock for all runs
  private final RemoteStore remote; // null: the embedded index in options.indexDir()
  private final WatchMeters meters;
  TreeWatcher watcher; // set once by start(); package-private for tests (its overflow seam)

  private final Object lock = new Object();
  private Set<Path> pendingPaths = new LinkedHashSet<>(); // guarded by lock
  private String pendingReconcile; // guarded by lock; why, when a walk is due
  private long pendingSince = WatchMeters.NONE; // guarded by lock; the first pending event's time
  private volatile boolean closed;

  private volatile RunControl current;
  private volatile String running;
  private volatile long syncRuns;
  private volatile long reconcileRuns;
  private volatile long failedRuns;
  private volatile RunSummary lastRun;
  private volatile String lastError;
  private volatile Instant lastErrorAt;

  private LiveIndex(
      IndexOptions options,
      RemoteStore remote,
      UnaryOperator<RunAssembler> configure,
      Duration retryDelay,
      Clock clock,
      MeterRegistry registry,
      Consumer<String> log) {
    this.meters = new WatchMeters(registry, System::nanoTime);
    this.options = Objects.requireNonNull(options, "options");
    this.remote = remote;
    this.problems = new ProblemLog(log);
    this.configure = Objects.requireNonNull(configure, "configure");
    this.retryDelay = retryDelay;
    this.clock = clock;
    this.pendingReconcile = "start-up";
    this.writer = new ResidentWriter(options.indexDir());
    this.thread = Thread.ofPlatform().name("quarry-live-index").daemon(true).unstarted(this::loop);
  }

  /**
   * Starts watching {@code options.roots()} and keeping the index in {@code options.indexDir()} up
   * to date with them. Each run is {@code configure.apply(RunAssembler.of(options))} (to set its
   * embedder, listener, metrics), then given this live index's {@link RunControl}.
   *
   * @throws IOException when the roots cannot be watched (see {@link TreeWatcher#start})
   */
  public static LiveIndex start(IndexOptions options, UnaryOperator<RunAssembler> configure)
      throws IOException {
    return start(options, configure, Metrics.globalRegistry, line -> {});
  }

  /**
   * As {@link #start(IndexOptions, UnaryOperator)}, recording the watch's meters (see {@link
   * WatchMeters}: events, batches, lag) into {@code registry} (the runs' meters go where {@code
   * configure} says), and telling {@code log} (a line each, for people) when a problem appears (a
   * root gone, a run failed, a full disk), becomes another or is over.
   */
  public static LiveIndex start(
      IndexOptions options,
      UnaryOperator<RunAssembler> configure,
      MeterRegistry registry,
      Consumer<String> log)
      throws IOException {
    return start(options, null, configure, RETRY_DELAY, Clock.systemUTC(), registry, log);
  }

  /**
   * As {@link #start(IndexOptions, UnaryOperator, MeterRegistry, Consumer)}, keeping the index in
   * {@code remote} (a SolrCloud collection; the caller closes it after this) instead of the
   * embedded one in {@code options.indexDir()}. Each run opens its own writer there.
   */
  public static LiveIndex start(
      IndexOptions options,
      RemoteStore remote,
      UnaryOperator<RunAssembler> configure,
      MeterRegistry registry,
      Consumer<String> log)
      throws IOException {
    Objects.requireNonNull(remote, "remote");
    return start(options, remote, configure, RETRY_DELAY, Clock.systemUTC(), registry, log);
  }

  /**
   * As {@link #start(IndexOptions, UnaryOperator)}, with runs as {@code RunAssembler.of} makes
   * them.
   */
  public static LiveIndex start(IndexOptions options) throws IOException {
    return start(options, UnaryOperator.identity());
  }

  static LiveIndex start(
      IndexOptions options, UnaryOperator<RunAssembler> configure, Duration retryDelay, Clock clock)
      throws IOException {
    return start(options, configure, retryDelay, clock, Metrics.globalRegistry, line -> {});
  }

  static LiveIndex start(
      IndexOptions options,
      UnaryOperator<RunAssembler> configure,
      Duration retryDelay,
      Clock clock,
      MeterRegistry registry,
      Consumer<String> log)
      throws IOException {
    return start(options, null, configure, retryDelay, clock, registry, log);
  }

  private static LiveIndex start(
      IndexOptions options,
      RemoteStore remote,
      UnaryOperator<RunAssembler> configure,
      Duration retryDelay,
      Clock clock,
      MeterRegistry registry,
      Consumer<String> log)
      throws IOException {
    LiveIndex live = new LiveIndex(options, remote, configure, retryDelay, clock, registry, log);
    live.watcher = TreeWatcher.start(options.roots(), options.scan(), live::offer, live.meters);
    live.thread.start();
    return live;
  }

  /**
   * What the live index is doing, for a status page.
   *
   * @param watching whether the roots are watched
   * @param watchedDirectories how many directories are watched
   * @param lastEventAt when the last file-system event came; null before the first
   * @param pendingPaths paths waiting for the next sync
   * @param pendingReconcile why a reconcile (index run) is waiting; null when none is
   * @param running the kind of run in progress ("index", "sync"); null when idle
   * @param syncRuns sync runs finished (completed or interrupted)
   * @param reconcileRuns index runs finished, the start-up one included
   * @param failedRuns runs that threw
   * @param lastRun the summary of the last finished run; null before the first
   * @param lastError the last run failure's message; null when none
   * @param lastErrorAt when it happened
   * @param problem what is wrong now (a root gone, the last run failed), what is kept and what
   *     happens next; null when the last run succeeded
   */
  public record Status(
      boolean watching,
      int watchedDirectories,
      Instant lastEventAt,
      int pendingPaths,
      String pendingReconcile,
      String running,
      long syncRuns,
      long reconcileRuns,
      long failedRuns,
      RunSummary lastRun,
      String lastError,
      Instant lastErrorAt,
      String problem) {

    /** Whether nothing is pending nor running: the index is as the last events left the tree. */
    public boolean idle() {
      return pendingPaths == 0 && pendingReconcile == null && running == null;
    }
  }

  public Status status() {
    int paths;
    String reconcile;
    synchronized (lock) {
      paths = pendingPaths.size();
      reconcile = pendingReconcile;
    }
    return new Status(
        watcher.watching(),
        watcher.watchedDirectories(),
        watcher.lastEventAt(),
        paths,
        reconcile,
        running,
        syncRuns,
        reconcileRuns,
        failedRuns,
        lastRun,
        lastError,
        lastErrorAt,
        problems.current());
  }

  /** Stops watching, cancels the run in progress (it commits what it did) and joins. Idempotent. */
  @Override
  public void close() throws IOException {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
    }
    try {
      watcher.close();
    } finally {
      RunControl control = current;
      if (control != null) {
        control.cancel();
      }
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      models.close(); // no run uses them any more
    }
  }

  /** Asks for a reconcile (an index run over the roots) as soon as the run in progress ends. */
  public void reconcile(String why) {
    offer(new WatchEvent.ReconcileNeeded(why));
  }

  /** The watcher's listener: merges the event into what the next run does. */
  void offer(WatchEvent event) {
    synchronized (lock) {
      pendingSince = WatchMeters.earlier(pendingSince, meters.takeBatchStart()); // meters' hook
      switch (event) {
        case WatchEvent.ReconcileNeeded reconcile -> {
          if (pendingReconcile == null) {
            pendingReconcile = reconcile.why();
          }
          pendingPaths = new LinkedHashSet<>();
        }
        case WatchEvent.Changed changed -> {
          if (pendingReconcile == null) {
            pendingPaths.addAll(changed.paths());
            if (pendingPaths.size() > TreeWatcher.MAX_PATHS) {
              pendingReconcile = "more than " + TreeWatcher.MAX_PATHS + " paths changed at once";
              pendingPaths = new LinkedHashSet<>();
            }
          }
        }
      }
      lock.notifyAll();
    }
  }

  private void loop() {
    try {
      while (true) {
        Set<Path> paths;
        String reconcile;
        long since;
        synchronized (lock) {
          while (!closed && pendingReconcile == null && pendingPaths.isEmpty()) {
            lock.wait();
          }
          if (closed) {
            return;
          }
          paths = pendingPaths;
          reconcile = pendingReconcile;
          pendingPaths = new LinkedHashSet<>();
          pendingReconcile = null;
          since = pendingSince;
          pendingSince = WatchMeters.NONE;
        }
        if (runOnce(paths, reconcile)) {
          meters.applied(since); // meters' hook: the lag of the batch, now committed
        } else {
          synchronized (lock) {
            pendingSince = WatchMeters.earlier(since, pendingSince); // the retry applies them
          }
          waitBeforeRetry();
        }
      }
    } catch (InterruptedException e) {
      // closing
    } finally {
      running = null;
      writer.discard(); // everything is committed: this releases the lock
    }
  }

  /** Runs one sync (or index run, for a reconcile); false when it failed. */
  private boolean runOnce(Set<Path> paths, String reconcile) throws InterruptedException {
    RunControl control = new RunControl();
    current = control;
    if (closed) {
      control.cancel(); // close() may have looked at current before it was set
    }
    // Hook (faults): a root that is gone pauses the runs until the watcher sees it back.
    List<Path> gone = MissingRoots.of(options.roots());
    if (!gone.isEmpty()) {
      problems.report(MissingRoots.problem(gone));
      watcher.watchForReturn(gone);
      current = null;
      return true;
    }
    running = reconcile != null ? "index" : "sync";
    try {
      RunAssembler assembler = RunAssembler.of(options).sharing(models).writingTo(writer);
      RunAssembler run =
          configure.apply(remote == null ? assembler : assembler.into(remote)).control(control);
      if (reconcile != null) {
        lastRun = run.index();
        reconcileRuns++;
        meters.reconcileRun();
      } else {
        List<ChangeRequest> requests = requests(paths);
        if (requests.isEmpty()) {
          return true;
        }
        lastRun = run.sync(requests.iterator());
        syncRuns++;
        meters.syncRun(paths.size());
      }
      problems.clear();
      return true;
    } catch (IOException | RuntimeException e) {
      writer.discard(); // what the run left uncommitted rolls back; the next run opens afresh
      failedRuns++;
      meters.failedRun();
      lastError =
          (reconcile != null ? "index run" : "sync run")
              + " failed: "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      lastErrorAt = clock.instant();
      problems.report(ProblemLog.runFailed(lastError)); // hook (faults)
      return false;
    } finally {
      writer.runEnded();
      running = null;
      current = null;
    }
  }

  /**
   * The change list of a batch: each path but existing directories (their files came with the
   * batch), and for each path that is gone the indexed files under it (a deleted directory).
   */
  private List<ChangeRequest> requests(Set<Path> paths) throws IOException {
    List<ChangeRequest> requests = new ArrayList<>(paths.size());
    List<Path> gone = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        gone.add(path);
      }
      requests.add(new ChangeRequest.PathChange("watched change", path.toString()));
    }
    for (Path path : gone) {
      for (String file : indexedUnder(path + path.getFileSystem().getSeparator())) {
        requests.add(new ChangeRequest.PathChange("watched change under " + path, file));
      }
    }
    return requests;
  }

  /** The indexed files whose path starts with {@code prefix}: those of a deleted directory. */
  private List<String> indexedUnder(String prefix) throws IOException {
    if (remote == null) {
      if (!QuarryIndex.exists(options.indexDir())) {
        return List.of();
      }
      try (QuarryIndex index = QuarryIndex.openForReading(options.indexDir())) {
        return IndexInventory.filesUnder(index, prefix);
      }
    }
    // A remote store has no sorted term dictionary at hand: its manifest streamed, filtered.
    List<String> files = new ArrayList<>();
    try (IndexStore index = remote.openForReading()) {
      index.forEachFile(
          entry -> {
            if (entry.file().startsWith(prefix)) {
              files.add(entry.file());
            }
          });
    }
    return files;
  }

  /** After a failed run: waits, then asks for a reconcile (its paths may not have been applied). */
  private void waitBeforeRetry() throws InterruptedException {
    long deadline = System.nanoTime() + retryDelay.toNanos();
    synchronized (lock) {
      for (long left = retryDelay.toNanos(); !closed && left > 0; ) {
        lock.wait(Math.max(1, left / 1_000_000));
        left = deadline - System.nanoTime();
      }
      if (pendingReconcile == null) {
        pendingReconcile = "retrying after a failed run: " + lastError;
        pendingPaths = new LinkedHashSet<>();
      }
    }
  }
}
