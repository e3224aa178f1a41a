package dev.quarry.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * The change list of {@code sync --stdin -z}, checked for the likely mistake of a newline-separated
 * list given with {@code -z} (`git diff --name-only -z` forgotten, or {@code -z} added by habit):
 * read NUL-separated it is one path, with newlines in it, that names no file, so the sync would do
 * nothing and succeed. Only input that ends before any NUL is judged, so the check reads no further
 * than the parser would buffer for its first record. (The reverse, NUL bytes without {@code -z},
 * the line parser reports itself: no line may hold a NUL.)
 */
final class ChangeListInput {
  /**
   * Bytes looked at before giving up the check: the most one record may hold (the change list
   * parser's limit, 1 MiB); a longer input without NUL is a record the parser reports as too long.
   */
  private static final int PEEK_BYTES = 1 << 20;

  private ChangeListInput() {}

  /** A list that cannot be what the user meant; exits 1, as a sync whose lines failed does. */
  static final class FramingMistake extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FramingMistake(String message) {
      super(message);
    }
  }

  /**
   * {@code in}, to be read NUL-separated, unchanged; or a {@link FramingMistake} when it holds no
   * NUL but newlines, and read as one path it names no file under {@code roots} (nor an absolute
   * one).
   */
  static InputStream nulSeparated(InputStream in, List<Path> roots) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int limit = PEEK_BYTES + 1;
    int b;
    while (head.size() < limit && (b = in.read()) >= 0) {
      head.write(b);
      if (b == 0) {
        return replay(head, in); // NUL-separated indeed
      }
    }
    if (head.size() >= limit) {
      return replay(head, in); // too long for a record: the parser says so
    }
    String text = head.toString(StandardCharsets.UTF_8);
    long lines = text.lines().filter(line -> !line.isBlank()).count();
    if (text.indexOf('\n') >= 0 && !names(text, roots)) {
      throw new FramingMistake(
          "-z reads NUL-separated paths, but the input has no NUL byte, and "
              + lines
              + (lines == 1 ? " line" : " lines")
              + " (it names no file as one path): for a newline-separated list, drop -z");
    }
    return new ByteArrayInputStream(head.toByteArray());
  }

  private static InputStream replay(ByteArrayOutputStream head, InputStream rest) {
    return new SequenceInputStream(new ByteArrayInputStream(head.toByteArray()), rest);
  }

  /** Whether {@code path} names a file, absolute or under one of {@code roots}. */
  private static boolean names(String path, List<Path> roots) {
    try {
      Path given = Path.of(path);
      if (given.isAbsolute()) {
        return Files.exists(given, LinkOption.NOFOLLOW_LINKS);
      }
      for (Path root : roots) {
        if (Files.exists(root.resolve(path), LinkOption.NOFOLLOW_LINKS)) {
          return true;
        }
      }
      return false;
    } catch (InvalidPathException e) {
      return false;
    }
  }
}
