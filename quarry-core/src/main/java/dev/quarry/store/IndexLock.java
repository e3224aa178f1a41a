package dev.quarry.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The one-writer lock of an index, with the writer's name on it: {@value #FILE_NAME} in the index
 * directory, locked with an OS file lock (so the lock dies with its process, even on {@code kill
 * -9}) and holding who took it (pid, run, command, start time), so a second writer is told exactly
 * who is in the way, and a reader can tell a running run from a dead one.
 *
 * <p>A lock left by a dead process is no lock at all (the OS released it); its file still names the
 * dead run, which the next run reports as interrupted ({@link #previousHolder()}). On a clean
 * release the file is emptied, not deleted: deleting a lock file that another process may be
 * opening lets two processes lock two different files.
 *
 * <p>A check or a repair takes the lock too, but is no run ({@link Holder#isRun()}): it writes its
 * name after the run's record, under keys of its own, and takes only its own name away when done,
 * so that a dead run's record waits, whatever checks come first, for the next run to record it.
 */
public final class IndexLock implements WriterLock, Closeable {
  public static final String FILE_NAME = "quarry.lock";

  /** Kinds that take the lock without being runs: they have no place in the run history. */
  private static final Set<String> NOT_RUNS = Set.of("check", "repair");

  /** The keys of a check's or repair's name start with this; a run's have no prefix. */
  private static final String NOT_RUN_PREFIX = "maintenance.";

  /** Who holds (or held) a lock. {@code runId} 0: not yet known. */
  public record Holder(
      long pid,
      Instant processStart,
      String host,
      long runId,
      String kind,
      String command,
      Instant since) {

    /**
     * This process, about to run {@code kind} (index, sync; or check, repair, which are no runs)
     * with id {@code runId}.
     */
    public static Holder current(long runId, String kind) {
      ProcessHandle self = ProcessHandle.current();
      String command = self.info().commandLine().orElse("java");
      return new Holder(
          self.pid(),
          self.info().startInstant().orElse(Instant.EPOCH),
          hostName(),
          runId,
          kind,
          abbreviate(command),
          Instant.now());
    }

    public Holder withRun(long id, String runKind) {
      return new Holder(pid, processStart, host, id, runKind, command, since);
    }

    /**
     * Whether this holder is a run (index, sync, or a kind not known here), which the run history
     * records, rather than a check or a repair, which hold the lock to read or fix the index.
     */
    public boolean isRun() {
      return !NOT_RUNS.contains(kind);
    }

    /**
     * Whether the process that took the lock still runs: same host, the pid alive and started when
     * the holder's did (a recycled pid is another process).
     */
    public boolean alive() {
      if (!host.equals(hostName())) {
        return true; // another machine's process: cannot tell, assume the worst
      }
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .map(p -> p.info().startInstant().map(this::sameStart).orElse(true))
          .orElse(false);
    }

    /** Start times are derived from clock ticks since boot: allow for rounding. */
    private boolean sameStart(Instant start) {
      return Math.abs(start.toEpochMilli() - processStart.toEpochMilli()) < 1000;
    }

    public String describe() {
      return "pid "
          + pid
          + (host.equals(hostName()) ? "" : " on " + host)
          + (runId > 0 ? ", run " + runId : "")
          + (kind.isEmpty() ? "" : " (" + kind + ")")
          + ", since "
          + since
          + ", command: "
          + command;
    }

    byte[] toBytes() {
      return isRun()
          ? toBytes("", "Quarry index lock: the process writing this index")
          : toBytes(
              NOT_RUN_PREFIX,
              "Quarry index lock: a check or repair of this index (a run named above it died)");
    }

    private byte[] toBytes(String prefix, String comment) {
      Properties p = new Properties();
      p.setProperty(prefix + "pid", Long.toString(pid));
      p.setProperty(prefix + "processStart", processStart.toString());
      p.setProperty(prefix + "host", host);
      p.setProperty(prefix + "runId", Long.toString(runId));
      p.setProperty(prefix + "kind", kind);
      p.setProperty(prefix + "command", command);
      p.setProperty(prefix + "since", since.toString());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        p.store(out, comment);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    }

    /**
     * The run written in {@code bytes}, or empty when there is none (a released or torn lock file,
     * or only a check's name).
     */
    static Optional<Holder> parse(byte[] bytes) {
      return parse(bytes, "").filter(Holder::isRun);
    }

    /** The check or repair whose name is in {@code bytes}, if any. */
    static Optional<Holder> parseNotRun(byte[] bytes) {
      return parse(bytes, NOT_RUN_PREFIX);
    }

    private static Optional<Holder> parse(byte[] bytes, String prefix) {
      if (bytes.length == 0) {
        return Optional.empty();
      }
      try {
        Properties p = new Properties();
        p.load(new ByteArrayInputStream(bytes));
        return Optional.of(
            new Holder(
                Long.parseLong(p.getProperty(prefix + "pid")),
                Instant.parse(p.getProperty(prefix + "processStart")),
                p.getProperty(prefix + "host", ""),
                Long.parseLong(p.getProperty(prefix + "runId", "0")),
                p.getProperty(prefix + "kind", ""),
                p.getProperty(prefix + "command", ""),
                Instant.parse(p.getProperty(prefix + "since"))));
      } catch (IOException | RuntimeException e) {
        return Optional.empty(); // torn by a crash while being written: nobody to report
      }
    }

    private static String abbreviate(String command) {
      return command.length() <= 300 ? command : command.substring(0, 297) + "...";
    }
  }

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private volatile Holder previous; // null once a run has recorded it (see update)
  private Holder holder;
  private boolean keepName;

  /**
   * What a check or repair keeps ahead of its name in the file: a dead run's record, as found when
   * possible (so its bytes are never rewritten). Empty for a run.
   */
  private final byte[] kept;

  /** Whether the file starts with {@link #kept} (not when a dead check's name had to go). */
  private boolean keptInPlace;

  private IndexLock(
      Path file,
      FileChannel channel,
      FileLock lock,
      Holder previous,
      Holder holder,
      byte[] kept,
      boolean keptInPlace) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
    this.previous = previous;
    this.holder = holder;
    this.kept = kept;
    this.keptInPlace = keptInPlace;
  }

  /**
   * Takes the lock of the index in {@code indexDir} (which must exist) for {@code holder}.
   *
   * @throws IndexLockedException when a live process holds it, naming that process
   * @throws IOException when the lock file cannot be created or written (read-only directory)
   */
  public static IndexLock acquire(Path indexDir, Holder holder) throws IOException {
    Path file = indexDir.resolve(FILE_NAME);
    FileChannel channel;
    try {
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (AccessDeniedException e) {
      throw new AccessDeniedException(
          indexDir.toString(),
          null,
          "the index directory is not writable (cannot create its lock file " + FILE_NAME + ")");
    }
    try {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // this very process holds it, through another channel
      }
      byte[] found = readAll(channel);
      if (lock == null) {
        // A check's or repair's name is only there while it holds the lock (a run writing the
        // file drops it), so it is the one in the way; else the run is.
        throw new IndexLockedException(
            indexDir, Holder.parseNotRun(found).or(() -> Holder.parse(found)).orElse(null));
      }
      Holder previous = Holder.parse(found).orElse(null);
      IndexLock taken;
      if (holder.isRun() || previous == null) {
        taken = new IndexLock(file, channel, lock, previous, holder, new byte[0], true);
      } else if (Holder.parseNotRun(found).isEmpty() && found[found.length - 1] == '\n') {
        taken = new IndexLock(file, channel, lock, previous, holder, found, true);
      } else {
        // A check killed after a run was (its name goes, the run's record stays), or a record
        // not ended by a line break (the check's name must start on a line of its own).
        taken = new IndexLock(file, channel, lock, previous, holder, previous.toBytes(), false);
      }
      taken.write(holder);
      return taken;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * The run writing the index in {@code indexDir} now, if any: for readers, who must not take the
   * lock to find out. A check or repair holding the lock is no run, and not named here.
   */
  public static Optional<Holder> liveHolder(Path indexDir) {
    try {
      return lastHolder(indexDir).filter(Holder::alive);
    } catch (UncheckedIOException e) {
      // A lock file this reader may not read (another user's index): it cannot tell, and what it
      // reads of the index does not depend on it.
      return Optional.empty();
    }
  }

  /**
   * Fails as a second writer would, naming the run, when a run is writing the index in {@code
   * indexDir} now; takes nothing. For a command that cannot start before that run has committed (a
   * sync of an index whose first run has not recorded its roots yet).
   *
   * @throws IndexLockedException naming the run
   */
  public static void requireNoLiveRun(Path indexDir) throws IndexLockedException {
    Optional<Holder> run = liveHolder(indexDir);
    if (run.isPresent()) {
      throw new IndexLockedException(indexDir, run.get());
    }
  }

  /**
   * The run named in the lock file, alive or not (a dead one's run was interrupted); never a check
   * or repair.
   */
  public static Optional<Holder> lastHolder(Path indexDir) {
    try {
      return Holder.parse(Files.readAllBytes(indexDir.resolve(FILE_NAME)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the lock file of index " + indexDir, e);
    }
  }

  /**
   * The run a dead process left in the lock file when this lock was taken: it ended without
   * releasing the lock (killed, crashed, power lost). A check or repair leaves that record in the
   * file for the next run.
   */
  @Override
  public Optional<Holder> previousHolder() {
    return Optional.ofNullable(previous);
  }

  @Override
  public Holder holder() {
    return holder;
  }

  /**
   * Names the run now holding the lock (its id is known once the index's history is read). The
   * first run to do so has recorded the dead previous holder in the history: a lock held across
   * many runs (a server's) hands it to that run only.
   */
  @Override
  public void update(Holder newHolder) throws IOException {
    write(newHolder);
    holder = newHolder;
    previous = null;
  }

  /**
   * Takes the run's name out of the lock file and keeps the lock: for a writer kept open between
   * runs (a server's), which is then no run in progress, and which, killed between runs, leaves no
   * run for the next one to record as interrupted. The next run's {@link #update} writes its name
   * again.
   */
  public void clearName() throws IOException {
    channel.truncate(kept.length);
    channel.force(false);
    holder = Holder.current(0, holder.kind());
    keepName = false;
  }

  /**
   * Leaves the holder's name in the lock file when released, as a killed process would: for a run
   * that could not record its own end, so the next run records it as interrupted.
   */
  @Override
  public void keepNameOnClose() {
    keepName = true;
  }

  private void write(Holder h) throws IOException {
    byte[] own = h.toBytes();
    if (keptInPlace) {
      channel.truncate(kept.length);
      channel.write(ByteBuffer.wrap(own), kept.length);
    } else {
      ByteBuffer bytes = ByteBuffer.allocate(kept.length + own.length).put(kept).put(own).flip();
      channel.truncate(0);
      channel.write(bytes, 0);
      keptInPlace = true;
    }
    channel.force(false);
  }

  private static byte[] readAll(FileChannel channel) throws IOException {
    long size = channel.size();
    if (size > 1 << 20) {
      return new byte[0]; // not ours: nothing to report
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) size);
    while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
      // read until full
    }
    return buffer.array();
  }

  @Override
  public void close() throws IOException {
    try {
      if (!keepName) {
        channel.truncate(kept.length); // a dead run's record, kept by a check or repair, stays
      }
    } catch (IOException e) {
      // A full or failing disk: the name stays, and the next writer reports this run as
      // interrupted.
    } finally {
      try {
        lock.release();
      } finally {
        channel.close();
      }
    }
  }

  /** The machine's name, the same in every process (an environment variable is not). */
  static String hostName() {
    try {
      return Files.readString(Path.of("/etc/hostname"), StandardCharsets.UTF_8).strip();
    } catch (IOException | RuntimeException e) {
      return "localhost";
    }
  }

  @Override
  public String toString() {
    return "IndexLock[" + file + ", " + holder.describe() + "]";
  }
}
