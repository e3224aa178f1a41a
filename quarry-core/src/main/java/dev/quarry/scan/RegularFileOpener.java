package dev.quarry.scan;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

/**
 * Opens a file for reading only if it is a regular file at the moment it is opened, and never
 * blocks doing so.
 *
 * <p>The scan judged the file by its stat, but it can be swapped for a FIFO before a worker opens
 * it; a plain {@code open()} of a FIFO waits for a writer, forever, with the run's lock held. So on
 * Linux the file is opened with {@code O_NONBLOCK} (which returns at once for any kind of file),
 * the opened descriptor's type is checked through {@code /proc/self/fd}, and only a regular file is
 * read (through the same magic link, so it is that very file). Elsewhere, or when native calls are
 * unavailable, the type is checked just before a plain open: a window of microseconds instead of
 * one as long as the run.
 */
public final class RegularFileOpener {
  private static final Native NATIVE = Native.load();

  private RegularFileOpener() {}

  /** Whether files are opened without blocking (Linux), not checked just before a plain open. */
  public static boolean opensWithoutBlocking() {
    return NATIVE != null;
  }

  /**
   * An input stream over {@code path}'s content.
   *
   * @param followLinks whether a symbolic link in place of the file is followed; if not, it is
   *     refused as not regular (the walk would have skipped it)
   * @throws NotRegularFileException when it is not (or no longer) a regular file
   * @throws NoSuchFileException, AccessDeniedException as opening any file may
   */
  public static InputStream open(Path path, boolean followLinks) throws IOException {
    if (NATIVE == null) {
      return openChecked(path, followLinks);
    }
    int fd = NATIVE.open(path, followLinks);
    try {
      Path opened = Path.of("/proc/self/fd/" + fd);
      if (!Files.readAttributes(opened, BasicFileAttributes.class).isRegularFile()) {
        throw new NotRegularFileException(path);
      }
      return Files.newInputStream(opened);
    } finally {
      NATIVE.close(fd);
    }
  }

  private static InputStream openChecked(Path path, boolean followLinks) throws IOException {
    LinkOption[] options =
        followLinks ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
    if (!Files.readAttributes(path, BasicFileAttributes.class, options).isRegularFile()) {
      throw new NotRegularFileException(path);
    }
    return Files.newInputStream(path);
  }

  /** A regular file was expected and something else is there. */
  public static final class NotRegularFileException extends IOException {
    NotRegularFileException(Path path) {
      super(path + " is not a regular file (a FIFO, socket, device or link was put in its place)");
    }
  }

  /** libc's open(2) and close(2) on Linux, with the flags of this machine's architecture. */
  private static final class Native {
    private static final int O_RDONLY = 0;
    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;
    private static final int ENOENT = 2;
    private static final int EACCES = 13;
    private static final int ENOTDIR = 20;
    private static final int ELOOP = 40;

    private final LibC libc;
    private final int noFollow;
    private final Charset pathEncoding;

    private Native(LibC libc, int noFollow, Charset pathEncoding) {
      this.libc = libc;
      this.noFollow = noFollow;
      this.pathEncoding = pathEncoding;
    }

    /** libc through JNA on Linux x86-64 or AArch64 with /proc mounted; null anywhere else. */
    static Native load() {
      String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
      String arch = System.getProperty("os.arch", "");
      int noFollow =
          switch (arch) {
            case "amd64", "x86_64" -> 0x20000;
            case "aarch64" -> 0x8000;
            default -> -1;
          };
      if (!os.equals("linux") || noFollow < 0 || !Files.isDirectory(Path.of("/proc/self/fd"))) {
        return null;
      }
      try {
        Charset encoding = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        return new Native(com.sun.jna.Native.load("c", LibC.class), noFollow, encoding);
      } catch (LinkageError | RuntimeException e) {
        return null; // no native access here: the checked plain open is the fallback
      }
    }

    int open(Path path, boolean followLinks) throws IOException {
      byte[] name = path.toString().getBytes(pathEncoding);
      byte[] cString = java.util.Arrays.copyOf(name, name.length + 1);
      int flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | (followLinks ? 0 : noFollow);
      try {
        return libc.open(cString, flags);
      } catch (LastErrorException e) {
        throw switch (e.getErrorCode()) {
          case ENOENT, ENOTDIR -> new NoSuchFileException(path.toString());
          case EACCES -> new AccessDeniedException(path.toString());
          case ELOOP -> new NotRegularFileException(path);
          default -> new IOException("cannot open " + path + ": " + e.getMessage(), e);
        };
      }
    }

    void close(int fd) {
      try {
        libc.close(fd);
      } catch (LastErrorException e) {
        // Closing a descriptor only read from cannot lose data.
      }
    }
  }

  /** The two libc calls, mapped by JNA. */
  interface LibC extends Library {
    int open(byte[] path, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;
  }
}
