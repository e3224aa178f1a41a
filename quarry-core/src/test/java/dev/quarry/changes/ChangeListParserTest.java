package dev.quarry.changes;

import static dev.quarry.changes.ChangeEntry.Status.ADDED;
import static dev.quarry.changes.ChangeEntry.Status.BARE;
import static dev.quarry.changes.ChangeEntry.Status.COPIED;
import static dev.quarry.changes.ChangeEntry.Status.DELETED;
import static dev.quarry.changes.ChangeEntry.Status.MODIFIED;
import static dev.quarry.changes.ChangeEntry.Status.RENAMED;
import static dev.quarry.changes.ChangeEntry.Status.TYPE_CHANGED;
import static dev.quarry.changes.ChangeEntry.Status.UNKNOWN;
import static dev.quarry.changes.ChangeEntry.Status.UNMERGED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.changes.ChangeEntry.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Line framing: bare paths, git's --name-status lines, quoting, bad records, streaming. */
class ChangeListParserTest {

  static List<ChangeRecord> parse(byte[] input, Framing framing) throws IOException {
    List<ChangeRecord> records = new ArrayList<>();
    ChangeListParser.parse(new ByteArrayInputStream(input), framing, records::add);
    return records;
  }

  static List<ChangeRecord> lines(String input) throws IOException {
    return parse(input.getBytes(StandardCharsets.UTF_8), Framing.LINES);
  }

  /** Raw bytes: each char of {@code s} is one byte, so "\u00ff" is the byte 0xff. */
  static byte[] raw(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static ChangeEntry entry(int record, Status status, String... paths) {
    return new ChangeEntry(record, status, List.of(paths));
  }

  static ChangeEntry scored(int record, Status status, int score, String... paths) {
    return new ChangeEntry(record, status, OptionalInt.of(score), List.of(paths));
  }

  @Test
  void bareLinesAreTakenAsTheyAre() throws IOException {
    assertThat(
            lines(
                "src/A.java\n/abs/dir/b.txt\n  leading space\ntrailing space \nM\nR100\nno newline at end"))
        .containsExactly(
            entry(1, BARE, "src/A.java"),
            entry(2, BARE, "/abs/dir/b.txt"),
            entry(3, BARE, "  leading space"),
            entry(4, BARE, "trailing space "),
            entry(5, BARE, "M"),
            entry(6, BARE, "R100"),
            entry(7, BARE, "no newline at end"));
  }

  @Test
  void crlfIsStrippedAndBlankLinesAreSkippedButCounted() throws IOException {
    assertThat(lines("a\r\n\r\n\n   \n\t \r\nM\tb\r\nc\r\r\nd"))
        .containsExactly(
            entry(1, BARE, "a"),
            entry(6, MODIFIED, "b"),
            entry(7, BARE, "c\r"),
            entry(8, BARE, "d"));
  }

  @Test
  void emptyInputHasNoRecords() throws IOException {
    assertThat(lines("")).isEmpty();
    assertThat(lines("\n\n")).isEmpty();
  }

  @Test
  void everyStatus() throws IOException {
    String input =
        """
        A\tadded.txt
        M\tmodified.txt
        D\tdeleted.txt
        T\ttype-changed
        U\tunmerged.txt
        X\tunknown.txt
        R100\told.txt\tnew.txt
        R075\tdir/old\tdir/new
        R\tr-old\tr-new
        C75\tsource\tcopy
        C\tc-source\tc-copy
        M087\trewritten.txt
        R0\tzero-old\tzero-new
        """;
    assertThat(lines(input))
        .containsExactly(
            entry(1, ADDED, "added.txt"),
            entry(2, MODIFIED, "modified.txt"),
            entry(3, DELETED, "deleted.txt"),
            entry(4, TYPE_CHANGED, "type-changed"),
            entry(5, UNMERGED, "unmerged.txt"),
            entry(6, UNKNOWN, "unknown.txt"),
            scored(7, RENAMED, 100, "old.txt", "new.txt"),
            scored(8, RENAMED, 75, "dir/old", "dir/new"),
            entry(9, RENAMED, "r-old", "r-new"),
            scored(10, COPIED, 75, "source", "copy"),
            entry(11, COPIED, "c-source", "c-copy"),
            scored(12, MODIFIED, 87, "rewritten.txt"),
            scored(13, RENAMED, 0, "zero-old", "zero-new"));
  }

  @Test
  void quotedPathsAreUnquotedWithOctalBytesDecodedAsUtf8() throws IOException {
    String input =
        """
        M\t"dir/caf\\303\\251 \\"x\\".txt"
        A\t"esc\\\\\\"\\a\\b\\t\\n\\v\\f\\r."
        R090\t"\\346\\227\\245\\346\\234\\254/old"\t"emoji \\360\\237\\230\\200"
        "bare caf\\303\\251"
        D\tplain "quotes" inside
        """;
    assertThat(lines(input))
        .containsExactly(
            entry(1, MODIFIED, "dir/café \"x\".txt"),
            entry(2, ADDED, "esc\\\"\u0007\b\t\n\u000b\f\r."),
            scored(3, RENAMED, 90, "日本/old", "emoji 😀"),
            entry(4, BARE, "bare café"),
            entry(5, DELETED, "plain \"quotes\" inside"));
  }

  @Test
  void badRecordsSayWhatWasExpectedAndParsingGoesOn() throws IOException {
    byte[] input =
        raw(
            String.join(
                "\n",
                "M\t", // 1
                "ok-1", // 2
                "R100\told", // 3
                "R100\told\tnew\textra", // 4
                "M\t\"unterminated", // 5
                "M\t\"bad \\q escape\"", // 6
                "M\t\"bad \\38x octal\"", // 7
                "M\t\"caf\\303\"", // 8
                "bad \u00ff byte.txt", // 9
                "nul\u0000inside", // 10
                "Z\tfoo", // 11
                "MM\tfoo", // 12
                "A5\tfoo", // 13
                "R1000\ta\tb", // 14
                "R150\ta\tb", // 15
                "M\t\"a\"b", // 16
                "M\t\"nul \\000\"", // 17
                "R\t\tnew", // 18
                "C90\told\t", // 19
                "\"", // 20
                "A\tok-2")); // 21
    List<ChangeRecord> records = parse(input, Framing.LINES);
    assertThat(records).hasSize(21);
    assertThat(records.get(1)).isEqualTo(entry(2, BARE, "ok-1"));
    assertThat(records.get(20)).isEqualTo(entry(21, ADDED, "ok-2"));
    assertBad(records.get(0), 1, "M\t", "missing path: expected M TAB path");
    assertBad(
        records.get(2), 3, "R100\told", "'R100' takes 2 paths (R100 TAB old TAB new), found 1");
    assertBad(records.get(3), 4, "R100\told\tnew\textra", "found 3 TAB-separated fields");
    assertBad(
        records.get(4),
        5,
        "M\t\"unterminated",
        "unterminated quoted path: expected a closing '\"'");
    assertBad(
        records.get(5),
        6,
        "M\t\"bad \\q escape\"",
        "bad escape '\\q' in quoted path: git writes \\\\, \\\"");
    assertBad(records.get(6), 7, "M\t\"bad \\38x octal\"", "bad escape '\\38x'");
    assertBad(
        records.get(7), 8, "M\t\"caf\\303\"", "path is not valid UTF-8 (byte 0xc3 at offset 3)");
    assertBad(
        records.get(8),
        9,
        "bad \ufffd byte.txt",
        "path is not valid UTF-8 (byte 0xff at offset 4)");
    assertBad(
        records.get(9),
        10,
        "nul\u0000inside",
        "line contains a NUL byte: NUL-separated input needs -z");
    assertBad(
        records.get(10),
        11,
        "Z\tfoo",
        "unknown status 'Z': expected A, M, D, T, U or X, or R or C");
    assertBad(records.get(11), 12, "MM\tfoo", "unknown status 'MM' (the combined diff of a merge");
    assertBad(records.get(12), 13, "A5\tfoo", "status A takes no score, got 'A5'");
    assertBad(records.get(13), 14, "R1000\ta\tb", "score of 'R1000' has more than 3 digits");
    assertBad(records.get(14), 15, "R150\ta\tb", "score of 'R150' is over 100");
    assertBad(records.get(15), 16, "M\t\"a\"b", "text after the closing quote");
    assertBad(records.get(16), 17, "M\t\"nul \\000\"", "path contains a NUL byte");
    assertBad(records.get(17), 18, "R\t\tnew", "missing old path: expected R TAB old TAB new");
    assertBad(records.get(18), 19, "C90\told\t", "missing new path: expected C90 TAB old TAB new");
    assertBad(records.get(19), 20, "\"", "unterminated quoted path");
  }

  static void assertBad(ChangeRecord record, int number, String text, String reasonPart) {
    assertThat(record).isInstanceOf(BadRecord.class);
    BadRecord bad = (BadRecord) record;
    assertThat(bad.record()).isEqualTo(number);
    assertThat(bad.text()).isEqualTo(text);
    assertThat(bad.reason()).contains(reasonPart);
  }

  @Test
  void aLongInputIsParsedOneRecordAtATime() {
    int count = 200_000;
    // Generated as it is read: the input is never held in memory, by the test or the parser.
    InputStream in =
        new LineSource(
            count,
            i ->
                (i % 3 == 0
                        ? "R087\tsrc/old-" + i + ".java\tsrc/new-" + i + ".java"
                        : "src/file-" + i + ".txt")
                    + "\r\n");
    Iterator<ChangeRecord> records = ChangeListParser.iterator(in, Framing.LINES);
    int seen = 0;
    while (records.hasNext()) {
      ChangeRecord r = records.next();
      seen++;
      assertThat(r.record()).isEqualTo(seen);
      assertThat(r).isInstanceOf(ChangeEntry.class);
      if (seen % 3 == 0) {
        assertThat(((ChangeEntry) r).path()).isEqualTo("src/new-" + seen + ".java");
      }
    }
    assertThat(seen).isEqualTo(count);
    assertThatThrownBy(records::next).isInstanceOf(java.util.NoSuchElementException.class);
  }

  @Test
  void aRecordOverTheCapIsSkippedWithoutBeingBuffered() throws IOException {
    int huge = 3 * ChangeListParser.MAX_RECORD_BYTES;
    InputStream in =
        new java.io.SequenceInputStream(
            new LineSource(1, i -> "x".repeat(huge) + "\n"),
            new ByteArrayInputStream(raw("after\n")));
    List<ChangeRecord> records = new ArrayList<>();
    ChangeListParser.parse(in, Framing.LINES, records::add);
    assertThat(records).hasSize(2);
    BadRecord bad = (BadRecord) records.get(0);
    assertThat(bad.text()).isEqualTo("x".repeat(200) + "…");
    assertThat(bad.reason())
        .contains("record of " + huge + " bytes is over the cap of 1048576 bytes");
    assertThat(records.get(1)).isEqualTo(entry(2, BARE, "after"));
  }

  @Test
  void aFailingInputStopsTheParseAfterTheRecordsBeforeIt() {
    InputStream failing =
        new java.io.SequenceInputStream(
            new ByteArrayInputStream(raw("a\nb\n")),
            new InputStream() {
              @Override
              public int read() throws IOException {
                throw new IOException("disk on fire");
              }
            });
    List<ChangeRecord> records = new ArrayList<>();
    assertThatThrownBy(() -> ChangeListParser.parse(failing, Framing.LINES, records::add))
        .isInstanceOf(IOException.class)
        .hasMessage("disk on fire");
    assertThat(records).containsExactly(entry(1, BARE, "a"), entry(2, BARE, "b"));

    Iterator<ChangeRecord> it =
        ChangeListParser.iterator(
            new InputStream() {
              @Override
              public int read() throws IOException {
                throw new IOException("disk on fire");
              }
            },
            Framing.NUL);
    assertThatThrownBy(it::hasNext)
        .isInstanceOf(UncheckedIOException.class)
        .hasRootCauseMessage("disk on fire");
  }

  @Test
  void entriesCheckTheirShape() {
    assertThatThrownBy(() -> entry(1, RENAMED, "only-one"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RENAMED takes 2 path(s), got 1");
    assertThatThrownBy(() -> scored(1, ADDED, 50, "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ADDED takes no score");
    assertThatThrownBy(() -> scored(1, COPIED, 101, "a", "b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 to 100");
  }

  /** An input of {@code count} generated records, produced as it is read. */
  static final class LineSource extends InputStream {
    private final int count;
    private final java.util.function.IntFunction<String> record;
    private int next = 1;
    private byte[] current = new byte[0];
    private int position;

    LineSource(int count, java.util.function.IntFunction<String> record) {
      this.count = count;
      this.record = record;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position == current.length) {
        if (next > count) {
          return -1;
        }
        current = record.apply(next++).getBytes(StandardCharsets.UTF_8);
        position = 0;
      }
      int n = Math.min(len, current.length - position);
      System.arraycopy(current, position, b, off, n);
      position += n;
      return n;
    }
  }
}
