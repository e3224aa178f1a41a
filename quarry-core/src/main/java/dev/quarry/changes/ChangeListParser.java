package dev.quarry.changes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Parses the change lists {@code quarry sync --stdin} reads: bare paths, {@code git diff
 * --name-status} output, or both mixed, into {@link ChangeRecord}s, one record at a time.
 *
 * <h2>Line framing ({@link Framing#LINES}, the default)</h2>
 *
 * Records are separated by {@code '\n'}; a trailing {@code '\r'} is stripped; empty lines and lines
 * of only whitespace are skipped. The record number is the 1-based line number, skipped lines
 * included, so it points at the line in the input. A line is
 *
 * <ul>
 *   <li>a git entry if the text before its first TAB is shaped like a status (one or two ASCII
 *       capitals, then digits): {@code M\tpath}, {@code R100\told\tnew}. A, M, D, T, U and X take
 *       one path, R and C take two; R, C and M (a rewrite, with {@code git diff -B}) may carry a
 *       score of up to 3 digits, 0 to 100. A status git does not write ({@code Z\tfoo}, or a
 *       merge's {@code MM\tfoo}) is a {@link BadRecord}, not a path;
 *   <li>otherwise a bare path, taken as it is: not trimmed, relative or absolute.
 * </ul>
 *
 * A path (in a git entry or bare) that starts with a double quote is git-quoted (core.quotePath):
 * {@code "dir/caf\303\251 \"x\".txt"}, with the escapes {@code \\ \" \a \b \t \n \v \f \r} and
 * three-digit octal bytes, which are decoded as UTF-8 together. Bare lines are unquoted too, since
 * {@code git diff --name-only} and {@code git ls-files} quote the same way.
 *
 * <p>Ambiguities, resolved as stated: a file literally named {@code M\tfoo} (a status-shaped prefix
 * and a TAB) is read as a git entry; a file whose name starts with a double quote is read as
 * quoted; a file whose name is only whitespace is skipped. List such names with {@link
 * Framing#NUL}.
 *
 * <h2>NUL framing ({@link Framing#NUL}, {@code -z})</h2>
 *
 * Records are separated by NUL bytes; a trailing NUL is normal. {@code git diff --name-status -z}
 * writes the status and each path as separate fields ({@code M\0path\0R100\0old\0new\0}), and
 * {@code find -print0} writes bare paths. A field that is exactly a status (A, M, D, T, U or X, or
 * R, C or M followed by up to 3 digits) starts a git entry and takes the next one or two fields as
 * its paths, whatever they hold; any other field is a bare path. Nothing is unquoted, trimmed or
 * skipped. The record number counts entries, not fields: {@code R100\0old\0new} is one record.
 *
 * <p>Ambiguity: in a bare list, a file named exactly like a status ({@code M}, {@code R100}) at the
 * top level of a relative listing is read as a status and swallows the next one or two paths as its
 * own. {@code find . -print0} is safe ({@code ./M}); so is a git list.
 *
 * <h2>Bad records</h2>
 *
 * A record that cannot be parsed becomes a {@link BadRecord} with a reason, and parsing goes on
 * with the next record: a git entry missing its path(s), an unknown status, a bad quoted path
 * (unterminated, bad escape), a path that is empty, not valid UTF-8 or contains a NUL, or a record
 * over {@value #MAX_RECORD_BYTES} bytes. Only an {@link IOException} of the input stops parsing.
 *
 * <h2>Memory, threads, nulls</h2>
 *
 * Records are read one at a time: memory is bounded by one record, at most {@value
 * #MAX_RECORD_BYTES} bytes (the rest of a longer one is skipped unbuffered), whatever the length of
 * the input. Wrap a raw stream in nothing: the parser buffers its reads. The stream is not closed.
 * A parse is not thread-safe; separate parses share nothing. No argument may be null.
 */
final class ChangeListParser {
  /**
   * Cap on one record's bytes. Paths are at most 4 KiB on Linux and about 32k UTF-16 units on
   * Windows, which git quoting can grow to some 130 KB, so 1 MiB refuses only input that is not a
   * change list (a binary file piped in by mistake) while bounding memory.
   */
  public static final int MAX_RECORD_BYTES = 1 << 20;

  private ChangeListParser() {}

  /**
   * Parses all of {@code in}, handing each record to {@code sink} in input order.
   *
   * @throws IOException if reading {@code in} fails; records before the failure were handed over
   */
  public static void parse(InputStream in, Framing framing, Consumer<? super ChangeRecord> sink)
      throws IOException {
    Objects.requireNonNull(sink, "sink");
    RecordSource source = source(in, framing);
    for (ChangeRecord r = source.next(); r != null; r = source.next()) {
      sink.accept(r);
    }
  }

  /**
   * The records of {@code in}, read lazily as the iterator advances.
   *
   * <p>{@code hasNext} and {@code next} throw {@link UncheckedIOException} if reading {@code in}
   * fails.
   */
  public static Iterator<ChangeRecord> iterator(InputStream in, Framing framing) {
    RecordSource source = source(in, framing);
    return new Iterator<>() {
      private ChangeRecord next;
      private boolean done;

      @Override
      public boolean hasNext() {
        if (next == null && !done) {
          try {
            next = source.next();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          done = next == null;
        }
        return next != null;
      }

      @Override
      public ChangeRecord next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ChangeRecord r = next;
        next = null;
        return r;
      }
    };
  }

  private static RecordSource source(InputStream in, Framing framing) {
    Objects.requireNonNull(in, "in");
    return switch (Objects.requireNonNull(framing, "framing")) {
      case LINES -> new LineRecords(in, MAX_RECORD_BYTES);
      case NUL -> new NulRecords(in, MAX_RECORD_BYTES);
    };
  }
}
