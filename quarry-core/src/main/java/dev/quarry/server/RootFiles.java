package dev.quarry.server;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Lines of files inside the indexed roots, for a client that asks for them by path (the MCP {@code
 * read} tool). The sandbox is the point: a path with {@code ..}, an absolute path elsewhere, a
 * symbolic link that leads out of the roots and the index folder itself are refused, each with a
 * message that says which rule refused it. A peer's handler that read any path on disk was a real
 * bug.
 */
final class RootFiles {
  /** A line longer than this is cut (minified code): the rest says how much was left out. */
  static final int MAX_LINE_CHARS = 1_000;

  /** Bytes looked at for a NUL, the mark of a binary file (as git does). */
  private static final int BINARY_PROBE_BYTES = 8 << 10;

  private final Supplier<List<Path>> roots;
  private final Optional<Path> indexDir;

  /**
   * @param roots the indexed roots, as the index records them now (they may change between calls)
   * @param indexDir the index folder, never read from even when it lies inside a root; empty for an
   *     index in a remote store
   */
  RootFiles(Supplier<List<Path>> roots, Optional<Path> indexDir) {
    this.roots = roots;
    this.indexDir = indexDir.map(dir -> dir.toAbsolutePath().normalize());
  }

  /** A refused path or range: the message is the client's answer. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  /**
   * Lines of a file, numbered from {@code first} (1-based).
   *
   * @param shown the path as the client should use it again (relative to its root)
   * @param lines the lines, long ones cut at {@link #MAX_LINE_CHARS}
   * @param endOfFile whether the file ends after the last line given
   */
  record Lines(String shown, int first, List<String> lines, boolean endOfFile) {
    int last() {
      return first + lines.size() - 1;
    }
  }

  /**
   * Lines {@code first..last} of the file {@code path} names, at least one and then as many as fit
   * in {@code maxChars}.
   *
   * @throws Refused when the path is not a readable file inside the roots, or the range is empty
   */
  Lines read(String path, int first, int last, int maxChars) throws Refused, IOException {
    if (first < 1 || last < first) {
      throw new Refused(
          "lines "
              + first
              + ".."
              + last
              + " is not a range: start_line >= 1, end_line >= start_line");
    }
    Located file = locate(path);
    List<String> lines = new ArrayList<>();
    boolean endOfFile;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file.real()))) {
      in.mark(BINARY_PROBE_BYTES);
      for (byte b : in.readNBytes(BINARY_PROBE_BYTES)) {
        if (b == 0) {
          throw new Refused(
              path + " is a binary file; search gives the text Quarry extracted from it (PDF)");
        }
      }
      in.reset();
      var decoder =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPLACE)
              .onUnmappableCharacter(CodingErrorAction.REPLACE);
      Reader reader = new BufferedReader(new InputStreamReader(in, decoder));
      int used = 0;
      int number = 0;
      StringBuilder line = new StringBuilder();
      while (true) {
        boolean wanted = number + 1 >= first;
        long length = readLine(reader, wanted ? line : null);
        if (length < 0) {
          endOfFile = true;
          break;
        }
        number++;
        if (!wanted) {
          continue;
        }
        if (number > last) {
          endOfFile = false;
          break;
        }
        String text =
            length > MAX_LINE_CHARS
                ? line + " [... " + (length - MAX_LINE_CHARS) + " more characters]"
                : line.toString();
        if (used + text.length() + 1 > maxChars && !lines.isEmpty()) {
          endOfFile = false;
          break; // the budget: the answer says where to go on
        }
        used += text.length() + 1;
        lines.add(text);
      }
      if (first > number) {
        throw new Refused(
            path + " has " + number + " lines; start_line " + first + " is past its end");
      }
    }
    return new Lines(file.shown(), first, lines, endOfFile);
  }

  /**
   * Reads one line (ended by \n, \r\n or \r, as {@link BufferedReader#readLine} ends them) into
   * {@code into}, keeping at most {@link #MAX_LINE_CHARS} of it, or skips it when {@code into} is
   * null: a file of one 2 GB line costs no more memory than a short one.
   *
   * @return the line's length, or -1 at the end of the file
   */
  private static long readLine(Reader reader, StringBuilder into) throws IOException {
    if (into != null) {
      into.setLength(0);
    }
    long length = 0;
    int c;
    while ((c = reader.read()) >= 0) {
      if (c == '\n') {
        return length;
      }
      if (c == '\r') {
        reader.mark(1);
        if (reader.read() != '\n') {
          reader.reset();
        }
        return length;
      }
      if (into != null && length < MAX_LINE_CHARS) {
        into.append((char) c);
      }
      length++;
    }
    return length == 0 ? -1 : length;
  }

  private record Located(Path real, String shown) {}

  /** The file {@code path} names inside a root, or why it cannot be read. */
  private Located locate(String path) throws Refused {
    if (path == null || path.isBlank()) {
      throw new Refused("'path' is required: a file path as search gives it");
    }
    if (path.indexOf('\0') >= 0) {
      throw new Refused("'path' contains a NUL character");
    }
    Path asked;
    try {
      asked = Path.of(path.strip());
    } catch (InvalidPathException e) {
      throw new Refused("'" + path + "' is not a valid path: " + e.getReason());
    }
    for (Path name : asked) {
      if (name.toString().equals("..")) {
        throw new Refused(
            "'"
                + path
                + "' contains '..': give a path inside the indexed roots, as search gives it");
      }
    }
    List<Path> rootList = roots.get();
    if (rootList.isEmpty()) {
      throw new Refused("the index has no roots yet: its first run has not committed");
    }
    List<Path> candidates = new ArrayList<>();
    if (asked.isAbsolute()) {
      Path normal = asked.normalize();
      for (Path root : rootList) {
        if (normal.startsWith(root.toAbsolutePath().normalize())) {
          candidates.add(normal);
        }
      }
      if (candidates.isEmpty()) {
        throw new Refused(
            "'" + path + "' is outside the indexed roots (" + describe(rootList) + ")");
      }
    } else {
      for (Path root : rootList) {
        candidates.add(root.resolve(asked).normalize());
      }
    }
    Refused firstProblem = null;
    for (Path candidate : candidates) {
      Optional<Located> found;
      try {
        found = inside(candidate, rootList);
      } catch (Refused e) {
        firstProblem = firstProblem == null ? e : firstProblem;
        continue;
      }
      if (found.isPresent()) {
        return found.get();
      }
    }
    if (firstProblem != null) {
      throw firstProblem;
    }
    throw new Refused("no file '" + path + "' in the indexed roots (" + describe(rootList) + ")");
  }

  /**
   * The candidate, when it exists: refused when it resolves out of every root, or into the index.
   */
  private Optional<Located> inside(Path candidate, List<Path> rootList) throws Refused {
    Path real;
    try {
      real = candidate.toRealPath();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new Refused("cannot read '" + candidate + "': " + e.getMessage());
    }
    if (indexDir.isPresent() && real.startsWith(realOrNormal(indexDir.get()))) {
      throw new Refused("'" + candidate + "' is inside the index folder, which is not readable");
    }
    for (Path root : rootList) {
      Path realRoot = realOrNormal(root);
      if (real.startsWith(realRoot)) {
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
          throw new Refused("'" + candidate + "' is not a regular file");
        }
        return Optional.of(new Located(real, realRoot.relativize(real).toString()));
      }
    }
    throw new Refused(
        "'"
            + candidate
            + "' is a link to "
            + real
            + ", outside the indexed roots ("
            + describe(rootList)
            + ")");
  }

  private static Path realOrNormal(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path.toAbsolutePath().normalize();
    }
  }

  private static String describe(List<Path> rootList) {
    return String.join(", ", rootList.stream().map(Path::toString).toList());
  }
}
