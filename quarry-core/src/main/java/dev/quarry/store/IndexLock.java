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

/**
 * The one-writer lock of an index, with the writer's name on it: {@value #FILE_NAME} in the index
 * directory, locked with an OS file lock (so the lock dies with its process, even on {@code kill
 * -9}) and holding who took it (pid, run, command, start time), so a second writer is told exactly
 * who is in the way, and a reader can tell a running run from a dead one.
 *
 * <p>A lock left by a dead process is no lock at all (the OS released it); its file still names the
 * dead run, which the next writer reports as interrupted ({@link #previousHolder()}). On a clean
 * release the file is emptied, not deleted: deleting a lock file that another process may be
 * opening lets two processes lock two different files.
 */
public final class IndexLock implements WriterLock, Closeable {
  public static final String FILE_NAME = "quarry.lock";

  /** Who holds (or held) a lock. {@code runId} 0: not yet known. */
  public record Holder(
      long pid,
      Instant processStart,
      String host,
      long runId,
      String kind,
      String command,
      Instant since) {

    /** This process, about to run {@code kind} (index, sync, repair) with id {@code runId}. */
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
      Properties p = new Properties();
      p.setProperty("pid", Long.toString(pid));
      p.setProperty("processStart", processStart.toString());
      p.setProperty("host", host);
      p.setProperty("runId", Long.toString(runId));
      p.setProperty("kind", kind);
      p.setProperty("command", command);
      p.setProperty("since", since.toString());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        p.store(out, "Quarry index lock: the process writing this index");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    }

    /**
     * The holder written in {@code bytes}, or empty when there is none (a released or torn lock
     * file).
     */
    static Optional<Holder> parse(byte[] bytes) {
      if (bytes.length == 0) {
        return Optional.empty();
      }
      try {
        Properties p = new Properties();
        p.load(new ByteArrayInputStream(bytes));
        return Optional.of(
            new Holder(
                Long.parseLong(p.getProperty("pid")),
                Instant.parse(p.getProperty("processStart")),
                p.getProperty("host", ""),
                Long.parseLong(p.getProperty("runId", "0")),
                p.getProperty("kind", ""),
                p.getProperty("command", ""),
                Instant.parse(p.getProperty("since"))));
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
  private final Holder previous;
  private Holder holder;
  private boolean keepName;

  private IndexLock(Path file, FileChannel channel, FileLock lock, Holder previous, Holder holder) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
    this.previous = previous;
    this.holder = holder;
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
      if (lock == null) {
        throw new IndexLockedException(indexDir, Holder.parse(readAll(channel)).orElse(null));
      }
      Holder previous = Holder.parse(readAll(channel)).orElse(null);
      IndexLock taken = new IndexLock(file, channel, lock, previous, holder);
      taken.write(holder);
      return taken;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Who is writing the index in {@code indexDir} now, if anyone: for readers, who must not take the
   * lock to find out.
   */
  public static Optional<Holder> liveHolder(Path indexDir) {
    return lastHolder(indexDir).filter(Holder::alive);
  }

  /** The holder named in the lock file, alive or not (a dead one's run was interrupted). */
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
   * The holder a dead process left in the lock file when this lock was taken: its run ended without
   * releasing the lock (killed, crashed, power lost).
   */
  @Override
  public Optional<Holder> previousHolder() {
    return Optional.ofNullable(previous);
  }

  @Override
  public Holder holder() {
    return holder;
  }

  /** Names the run now holding the lock (its id is known once the index's history is read). */
  @Override
  public void update(Holder newHolder) throws IOException {
    write(newHolder);
    holder = newHolder;
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
    byte[] bytes = h.toBytes();
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(bytes), 0);
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
        channel.truncate(0);
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
