package dev.quarry.cli;

import static dev.quarry.cli.QuarryCliTest.quarry;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.cli.QuarryCliTest.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tree whose file names and content hold terminal escapes: what the CLI prints for people shows
 * them as text and never sends them to the terminal; JSON keeps them exact.
 */
class HostileOutputTest {
  @TempDir Path tree;
  final ObjectMapper json = new ObjectMapper();

  /**
   * A window title change, a screen clear, an OSC 52 clipboard write, a C1 CSI (U+009B), a bell, a
   * carriage return.
   */
  static final String ESCAPES =
      "\u001b]0;owned\u0007\u001b[2J\u001b]52;c;ZXZpbA==\u0007\u009b31m\r";

  /** The same escapes as the CLI shows them. */
  static final String SHOWN = "\\x1b]0;owned\\x07\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07\\x9b31m\\x0d";

  static final String NAME = "evil" + ESCAPES + "\nname.txt";

  @BeforeEach
  void hostileTree() throws Exception {
    Files.writeString(tree.resolve(NAME), "rocket " + ESCAPES + " launch\nrocket\u001b[5m again\n");
    Files.writeString(tree.resolve("plain.txt"), "a plain rocket\n");
    // A corrupt PDF fails, and the failure names it.
    Files.writeString(tree.resolve("bad" + ESCAPES + ".pdf"), "%PDF-1.4\nnot really a PDF\n");
  }

  /** Fails on any C0 or C1 control character but line feed (between lines) and tab. */
  private static void assertShowsNoControlCharacters(String what, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = c < 0x20 || (c >= 0x7f && c < 0xa0);
      assertThat(control && c != '\n' && c != '\t')
          .as("%s prints U+%04X raw at %d: %s", what, (int) c, i, text)
          .isFalse();
    }
  }

  // Issue 11, item 9: terminal escapes in file names and content reached the terminal raw.
  @Tag("hostile")
  @Test
  void indexFilesSearchAndSyncShowEscapesAsText() throws Exception {
    Run index = quarry("index", tree.toString(), "--no-embed");
    assertThat(index.exit()).as(index.err()).isEqualTo(ExitCodes.PARTIAL); // the PDF
    assertShowsNoControlCharacters("index", index.out() + index.err());
    assertThat(index.out()).contains("failed: bad" + SHOWN + ".pdf: corrupt PDF");

    Run files = quarry("files", "--index", tree.toString());
    assertThat(files.exit()).as(files.err()).isZero();
    assertShowsNoControlCharacters("files", files.out());
    assertThat(files.out().lines()).hasSize(2); // one line a file, whatever its name holds
    assertThat(files.out()).contains("evil" + SHOWN + "\\x0aname.txt");

    Run search = quarry("search", "rocket", "--mode", "lexical", "--index", tree.toString());
    assertThat(search.exit()).as(search.err()).isZero();
    assertShowsNoControlCharacters("search", search.out());
    assertThat(search.out())
        .contains("evil" + SHOWN + "\\x0aname.txt:1-3") // CR ends a line too
        .contains("[rocket] \\x1b]0;owned\\x07\\x1b[2J");

    Files.writeString(tree.resolve(NAME), "rocket " + ESCAPES + " changed\n");
    Run sync =
        SyncCommandTest.quarryWithInput(
            (NAME + "\0").getBytes(StandardCharsets.UTF_8),
            "sync",
            "--stdin",
            "-z",
            "-v",
            "--index",
            tree.resolve(".quarry").toString());
    assertThat(sync.exit()).as(sync.err()).isZero();
    assertShowsNoControlCharacters("sync -v", sync.out() + sync.err());
    assertThat(sync.out()).contains("indexed evil" + SHOWN + "\\x0aname.txt: 1 chunks");

    // JSON is for programs: it keeps the name exact (Jackson escapes it).
    JsonNode list = json.readTree(quarry("files", "--json", "--index", tree.toString()).out());
    assertThat(list.get(0).get("path").asText()).isEqualTo(NAME);
  }
}
