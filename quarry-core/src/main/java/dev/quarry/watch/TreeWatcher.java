package dev.quarry.watch;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import dev.quarry.scan.PathExaminer;
import dev.quarry.scan.ScanOptions;
import io.micrometer.core.instrument.Metrics;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchEvent.Kind;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Watches the roots of an index, recursively, and tells a listener which paths may have changed, in
 * debounced batches ({@link WatchEvent.Changed}), or that it lost track ({@link
 * WatchEvent.ReconcileNeeded}).
 *
 * <p>Built on the JDK's {@link WatchService} (inotify on Linux), which watches single directories:
 * every directory a walk of the roots enters is registered, and only those: ignored directories
 * ({@code node_modules} in a {@code .gitignore}), {@code .git}, the index's folder and links the
 * scan does not follow are never watched, and events for ignored files are dropped, so they are not
 * even reported. A new directory is registered and then listed: files created in it before its
 * watch existed are reported from the listing. A directory deleted or renamed away is reported as
 * its own path (the index's files under it must go). An overflow of the kernel's event queue, a
 * root that can no longer be watched, a directory that cannot be registered or a changed ignore
 * file is reported as a reconcile: the paths are then unknown.
 *
 * <p>Threading: one thread ({@code quarry-watch}) owns the watch and calls the listener, one event
 * at a time; the listener must return quickly (hand the work to another thread). {@link #close()}
 * stops and joins it. Watching does not follow symbolic links.
 */
public final class TreeWatcher implements AutoCloseable {
  /** No event for this long ends a batch: an editor's save or a burst of writes is one batch. */
  static final Duration QUIET = Duration.ofMillis(200);

  /**
   * A batch never waits longer than this while events keep coming: a saved file is searchable
   * within about a second even while a build writes elsewhere.
   */
  static final Duration MAX_DELAY = Duration.ofSeconds(1);

  /** More paths than this in one batch become a reconcile: a walk is cheaper, memory bounded. */
  static final int MAX_PATHS = 100_000;

  /**
   * The JDK (24 and later) drops a watch's events and signals an overflow once this many are queued
   * on it between two polls; its default, 512, turns a {@code git checkout} of a thousand files in
   * one directory into a reconcile. Raised to the kernel's own default queue length, unless set.
   */
  private static final String MAX_EVENTS_PER_POLL = "jdk.nio.file.WatchService.maxEventsPerPoll";

  private static final String KERNEL_QUEUE_LENGTH = "16384";

  /** How often the thread looks at its task queue while no event comes (close, test seams). */
  private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final List<Path> roots;
  private final ScanOptions scan;
  private final Consumer<WatchEvent> listener;
  private final Debouncer debouncer;
  private final LongSupplier nanoTime;
  private final Clock clock;
  private final WatchService service;
  private final WatchMeters meters;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

  // Owned by the watcher thread once it runs (filled by start() before).
  private final Map<WatchKey, Path> directoryOf = new HashMap<>();
  private final NavigableMap<String, WatchKey> keyOf = new TreeMap<>();
  private PathExaminer examiner;
  private final Set<Path> lostRoots = new LinkedHashSet<>(); // gone roots, watched for return

  private final Thread thread;
  private volatile boolean closed;
  private volatile Instant lastEventAt;
  private volatile int watchedDirectories;
  private volatile RuntimeException listenerFailure;

  private TreeWatcher(
      List<Path> roots,
      ScanOptions scan,
      Consumer<WatchEvent> listener,
      Debouncer debouncer,
      LongSupplier nanoTime,
      Clock clock,
      WatchMeters meters)
      throws IOException {
    this.meters = meters;
    this.roots = List.copyOf(roots);
    this.scan = scan;
    this.listener = listener;
    this.debouncer = debouncer;
    this.nanoTime = nanoTime;
    this.clock = clock;
    this.examiner = new PathExaminer(scan, this.roots);
    this.service = FileSystems.getDefault().newWatchService();
    this.thread = Thread.ofPlatform().name("quarry-watch").daemon(true).unstarted(this::loop);
  }

  /**
   * Registers every directory a walk of {@code roots} enters, then watches them on a thread of its
   * own. What already exists is not reported: run a walk (an index run) after this returns.
   *
   * @param roots the index's roots, absolute and real (as indexed)
   * @param scan the index's scan options (ignore rules, the index folder, links)
   * @throws IOException when a root is not a directory, or a directory cannot be watched (the
   *     kernel's limit on watches, {@code fs.inotify.max_user_watches}, is reached)
   */
  public static TreeWatcher start(List<Path> roots, ScanOptions scan, Consumer<WatchEvent> listener)
      throws IOException {
    return start(roots, scan, listener, new WatchMeters(Metrics.globalRegistry, System::nanoTime));
  }

  /** As above, counting into {@code meters}. */
  static TreeWatcher start(
      List<Path> roots, ScanOptions scan, Consumer<WatchEvent> listener, WatchMeters meters)
      throws IOException {
    return start(
        roots,
        scan,
        listener,
        new Debouncer(QUIET, MAX_DELAY, MAX_PATHS),
        System::nanoTime,
        Clock.systemUTC(),
        meters);
  }

  static TreeWatcher start(
      List<Path> roots,
      ScanOptions scan,
      Consumer<WatchEvent> listener,
      Debouncer debouncer,
      LongSupplier nanoTime,
      Clock clock)
      throws IOException {
    return start(
        roots,
        scan,
        listener,
        debouncer,
        nanoTime,
        clock,
        new WatchMeters(Metrics.globalRegistry, nanoTime));
  }

  private static TreeWatcher start(
      List<Path> roots,
      ScanOptions scan,
      Consumer<WatchEvent> listener,
      Debouncer debouncer,
      LongSupplier nanoTime,
      Clock clock,
      WatchMeters meters)
      throws IOException {
    Objects.requireNonNull(listener, "listener");
    for (Path root : roots) {
      if (!root.isAbsolute() || !Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("cannot watch root " + root + ": not an absolute directory path");
      }
    }
    if (System.getProperty(MAX_EVENTS_PER_POLL) == null) {
      // Read once, when the JDK's first watch key class loads: set before the first watch service.
      System.setProperty(MAX_EVENTS_PER_POLL, KERNEL_QUEUE_LENGTH);
    }
    TreeWatcher watcher =
        new TreeWatcher(roots, scan, listener, debouncer, nanoTime, clock, meters);
    try {
      for (Path root : watcher.roots) {
        watcher.registerTree(root, false);
      }
    } catch (IOException | RuntimeException e) {
      watcher.service.close();
      throw e;
    }
    watcher.watchedDirectories = watcher.keyOf.size();
    watcher.thread.start();
    return watcher;
  }

  /** Whether it still watches: started and not closed. */
  public boolean watching() {
    return !closed && thread.isAlive();
  }

  /** When the last file-system event came, or null before the first. */
  public Instant lastEventAt() {
    return lastEventAt;
  }

  /** How many directories are watched. */
  public int watchedDirectories() {
    return watchedDirectories;
  }

  /** The last exception the listener threw (the watcher goes on), or null. */
  public RuntimeException listenerFailure() {
    return listenerFailure;
  }

  /** Stops watching and joins the thread; a batch not yet due is dropped. Idempotent. */
  @Override
  public void close() throws IOException {
    closed = true;
    service.close(); // wakes the thread out of its poll
    if (Thread.currentThread() != thread) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Stops watching {@code gone} (roots that are no longer directories) and watches for each to come
   * back instead: a root back (a disk mounted again) is watched again and reported as a reconcile.
   * A root deleted is noticed by the watcher itself; one moved away is not (its watch follows it),
   * hence this call from whoever finds it gone.
   */
  void watchForReturn(List<Path> gone) {
    tasks.add(
        () -> {
          for (Path root : gone) {
            if (roots.contains(root) && lostRoots.add(root)) {
              unregisterTree(root);
            }
          }
          watchedDirectories = keyOf.size();
        });
  }

  /**
   * A test seam: makes the watcher thread handle an event-queue overflow as if the kernel had
   * reported one (a real overflow needs more than 16k events queued faster than they are read).
   */
  void simulateOverflow() {
    tasks.add(() -> overflow());
  }

  private void loop() {
    try {
      while (!closed) {
        long wait =
            Math.min(IDLE_POLL_NANOS, Math.max(0, debouncer.nanosUntilDue(nanoTime.getAsLong())));
        WatchKey key = service.poll(wait, TimeUnit.NANOSECONDS);
        while (key != null) {
          try {
            handle(key);
          } catch (RuntimeException e) {
            // A bug or a surprise from the file system must not end the watch silently: what the
            // key's events said is unknown now, so a walk decides.
            debouncer.reconcile("watching failed: " + e, nanoTime.getAsLong());
          }
          key = service.poll(); // drain what is queued before looking at the clock
        }
        for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
          task.run();
        }
        if (!lostRoots.isEmpty()) {
          lookForLostRoots();
        }
        debouncer
            .poll(nanoTime.getAsLong())
            .ifPresent(
                event -> {
                  meters.batchDue(debouncer.firstEventAt());
                  emit(event);
                });
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      // closing
    }
  }

  private void emit(WatchEvent event) {
    try {
      listener.accept(event);
    } catch (RuntimeException e) {
      listenerFailure = e;
    }
  }

  private void handle(WatchKey key) {
    Path dir = directoryOf.get(key);
    if (dir == null) {
      key.cancel(); // a directory already unregistered (deleted, renamed away)
      return;
    }
    long now = nanoTime.getAsLong();
    lastEventAt = clock.instant();
    List<java.nio.file.WatchEvent<?>> events = key.pollEvents();
    meters.events(events.size());
    for (java.nio.file.WatchEvent<?> event : events) {
      Kind<?> kind = event.kind();
      if (kind == OVERFLOW) {
        overflow();
      } else if (event.context() instanceof Path name) {
        handle(kind, dir.resolve(name), now);
      }
    }
    if (!key.reset() && directoryOf.containsKey(key)) {
      lost(dir, now);
    }
    watchedDirectories = keyOf.size();
  }

  private void overflow() {
    meters.overflowed();
    debouncer.reconcile(
        "file-system events were lost (the kernel's event queue overflowed)", nanoTime.getAsLong());
  }

  private void handle(Kind<?> kind, Path path, long now) {
    if (PathExaminer.isIgnoreFile(path)) {
      if (examiner.entersDirectory(path.getParent())) {
        ignoreRulesChanged(path, now);
      }
      return;
    }
    if (kind == ENTRY_DELETE) {
      if (keyOf.containsKey(path.toString())) {
        unregisterTree(path);
        debouncer.changed(path, now);
      } else if (examiner.mayHoldFile(path)) {
        debouncer.changed(path, now);
      }
      return;
    }
    boolean directory = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
    if (directory) {
      if (kind == ENTRY_CREATE && examiner.entersDirectory(path)) {
        try {
          registerTree(path, true);
        } catch (IOException e) {
          debouncer.reconcile("cannot watch new directory " + path + ": " + e.getMessage(), now);
        }
      }
    } else if (examiner.mayHoldFile(path)) {
      debouncer.changed(path, now);
    }
  }

  /**
   * An ignore file changed: what is indexed may change anywhere below it, so a walk decides. The
   * rules are read again and directories they no longer ignore are watched too.
   */
  private void ignoreRulesChanged(Path file, long now) {
    debouncer.reconcile("ignore rules changed: " + file, now);
    try {
      examiner = new PathExaminer(scan, roots);
      for (Path root : roots) {
        registerTree(root, false);
      }
    } catch (IOException e) {
      debouncer.reconcile("cannot watch after ignore rules changed: " + e.getMessage(), now);
    }
  }

  /**
   * Watches again each lost root that is a directory again (every idle poll, a tenth of a second: a
   * stat per lost root) and asks for a reconcile: what it holds now is unknown.
   */
  private void lookForLostRoots() {
    long now = nanoTime.getAsLong();
    for (Iterator<Path> it = lostRoots.iterator(); it.hasNext(); ) {
      Path root = it.next();
      if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try {
        registerTree(root, false);
        it.remove();
        debouncer.reconcile("root " + root + " is back", now);
      } catch (IOException e) {
        unregisterTree(root); // half registered: tried again at the next poll
      }
    }
    watchedDirectories = keyOf.size();
  }

  /** A watch the kernel dropped: its directory was deleted, or its file system unmounted. */
  private void lost(Path dir, long now) {
    meters.lostWatch();
    if (roots.contains(dir)) {
      unregisterTree(dir);
      lostRoots.add(dir); // watched again when it is back
      debouncer.reconcile(
          "root " + dir + " can no longer be watched (deleted, moved or unmounted)", now);
    } else {
      unregisterTree(dir);
      debouncer.changed(dir, now);
    }
  }

  /**
   * Registers {@code start} and every directory below it that a walk enters; with {@code report},
   * reports the files found (created before their directory's watch existed).
   */
  private void registerTree(Path start, boolean report) throws IOException {
    List<IOException> failures = new ArrayList<>(1);
    Files.walkFileTree(
        start,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
            if (!dir.equals(start) && !examiner.entersDirectory(dir)) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            try {
              register(dir);
            } catch (NoSuchFileException | NotDirectoryException | AccessDeniedException e) {
              return FileVisitResult.SKIP_SUBTREE; // gone already, or unreadable: the walk skips it
            } catch (IOException e) {
              failures.add(e);
              return FileVisitResult.TERMINATE;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            if (report && attributes.isRegularFile() && examiner.mayHoldFile(file)) {
              debouncer.changed(file, nanoTime.getAsLong());
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE; // vanished or unreadable: its own event, or the walk's
          }
        });
    if (!failures.isEmpty()) {
      throw new IOException(
          "cannot watch " + start + ": " + failures.getFirst().getMessage(), failures.getFirst());
    }
  }

  private void register(Path dir) throws IOException {
    if (keyOf.containsKey(dir.toString())) {
      return;
    }
    WatchKey key = dir.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
    // The kernel gives a directory renamed inside the tree its old watch back: forget its old path.
    Path previous = directoryOf.put(key, dir);
    if (previous != null) {
      keyOf.remove(previous.toString());
    }
    keyOf.put(dir.toString(), key);
  }

  /** Stops watching {@code dir} and every directory below it. */
  private void unregisterTree(Path dir) {
    String top = dir.toString();
    List<String> gone = new ArrayList<>();
    if (keyOf.containsKey(top)) {
      gone.add(top);
    }
    // Paths below top sort between "top/" and "top0" ('0' follows '/').
    gone.addAll(keyOf.subMap(top + "/", true, top + "0", false).keySet());
    for (String path : gone) {
      WatchKey key = keyOf.remove(path);
      directoryOf.remove(key);
      key.cancel();
    }
  }
}
