package dev.quarry.changes;

import static dev.quarry.changes.ChangeEntry.Status.ADDED;
import static dev.quarry.changes.ChangeEntry.Status.BARE;
import static dev.quarry.changes.ChangeEntry.Status.COPIED;
import static dev.quarry.changes.ChangeEntry.Status.DELETED;
import static dev.quarry.changes.ChangeEntry.Status.MODIFIED;
import static dev.quarry.changes.ChangeEntry.Status.RENAMED;
import static dev.quarry.changes.ChangeListParserTest.assertBad;
import static dev.quarry.changes.ChangeListParserTest.entry;
import static dev.quarry.changes.ChangeListParserTest.raw;
import static dev.quarry.changes.ChangeListParserTest.scored;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NUL framing: find -print0 lists, git's -z lists and both mixed; records count entries. */
class ChangeListParserNulTest {

  static List<ChangeRecord> nul(String input) throws IOException {
    return ChangeListParserTest.parse(input.getBytes(StandardCharsets.UTF_8), Framing.NUL);
  }

  @Test
  void bareAndGitEntriesMixedCountEntriesNotFields() throws IOException {
    String input =
        "./src/a.java\0M\0m.txt\0R075\0old\0new\0/abs/café\0C\0src\0copy\0D\0gone\0A\0added";
    assertThat(nul(input))
        .containsExactly(
            entry(1, BARE, "./src/a.java"),
            entry(2, MODIFIED, "m.txt"),
            scored(3, RENAMED, 75, "old", "new"),
            entry(4, BARE, "/abs/café"),
            entry(5, COPIED, "src", "copy"),
            entry(6, DELETED, "gone"),
            entry(7, ADDED, "added"));
  }

  @Test
  void pathsAreTakenByteForByteNeverUnquotedTrimmedOrSkipped() throws IOException {
    String input =
        "\"quoted\"\0 spaced \0tab\tand\nnewline\0crlf\r\n\0   \0Z\0M7\0R1000\0M\0\"q\"\0";
    assertThat(nul(input))
        .containsExactly(
            entry(1, BARE, "\"quoted\""),
            entry(2, BARE, " spaced "),
            entry(3, BARE, "tab\tand\nnewline"),
            entry(4, BARE, "crlf\r\n"),
            entry(5, BARE, "   "),
            entry(6, BARE, "Z"),
            scored(7, MODIFIED, 7, "R1000"),
            entry(8, MODIFIED, "\"q\""));
  }

  @Test
  void aStatusTakesTheNextFieldsWhateverTheyHold() throws IOException {
    // The documented ambiguity: a top-level file named "M" in a bare list swallows the next path.
    assertThat(nul("a\0M\0b\0c\0"))
        .containsExactly(entry(1, BARE, "a"), entry(2, MODIFIED, "b"), entry(3, BARE, "c"));
    assertThat(nul("R\0M\0D\0")).containsExactly(entry(1, RENAMED, "M", "D"));
  }

  @Test
  void badEntriesAreReportedAndParsingGoesOn() throws IOException {
    byte[] input =
        raw("ok-1\0bad \u00ff\0\0R999\0old\0new\0M\0\0R100\0old\0new\0A\0ok-2\0R100\0only");
    List<ChangeRecord> records = ChangeListParserTest.parse(input, Framing.NUL);
    assertThat(records).hasSize(8);
    assertThat(records.get(0)).isEqualTo(entry(1, BARE, "ok-1"));
    assertBad(records.get(1), 2, "bad \ufffd", "path is not valid UTF-8 (byte 0xff at offset 4)");
    assertBad(records.get(2), 3, "", "empty path");
    assertBad(records.get(3), 4, "R999\told\tnew", "score of 'R999' is over 100");
    assertBad(records.get(4), 5, "M\t", "empty path");
    assertThat(records.get(5)).isEqualTo(scored(6, RENAMED, 100, "old", "new"));
    assertThat(records.get(6)).isEqualTo(entry(7, ADDED, "ok-2"));
    assertBad(
        records.get(7),
        8,
        "R100\tonly",
        "input ended after 'R100' and 1 path: it takes 2 (old, new, NUL-separated)");
  }

  @Test
  void emptyInputsAndTrailingNul() throws IOException {
    assertThat(nul("")).isEmpty();
    assertThat(nul("a\0")).containsExactly(entry(1, BARE, "a"));
    assertBad(
        nul("M").get(0),
        1,
        "M",
        "input ended after 'M' and 0 paths: it takes 1 (path, NUL-separated)");
  }
}
