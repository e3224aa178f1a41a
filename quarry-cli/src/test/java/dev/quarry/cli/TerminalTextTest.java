package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What human output shows for text that came from the tree. */
class TerminalTextTest {
  // Issue 11, item 9: controls are shown as escapes; everything else, tab included, as it is.
  @Tag("hostile")
  @Test
  void controlAndDirectionCharactersAreShownAsEscapesAndTheRestAsItIs() {
    String plain = "src/Main.java\tgrüße 日本 \\n stays";
    assertThat(TerminalText.safe(plain)).isSameAs(plain);
    assertThat(TerminalText.safe("a\u001b[2Jb\u0007\r\n\u007f\u0085\u009b"))
        .isEqualTo("a\\x1b[2Jb\\x07\\x0d\\x0a\\x7f\\x85\\x9b");
    assertThat(TerminalText.safe("abc\u202Etxt.exe\u2066\u200F"))
        .isEqualTo("abc\\u202etxt.exe\\u2066\\u200f");
    assertThat(TerminalText.safe(null)).isEqualTo("null");
  }
}
