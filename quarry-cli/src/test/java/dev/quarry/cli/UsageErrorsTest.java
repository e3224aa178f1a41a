package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user's mistakes exit 2 with a message naming what to fix; each is caught before any work. */
class UsageErrorsTest {
  @TempDir Path tree;

  @Test
  void searchFlagsTheRequestRefuses() {
    OutputOptionsTest.Captured limit =
        OutputOptionsTest.run("search", "x", "-k", "0", "--index", tree.toString());
    assertThat(limit.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(limit.err()).contains("limit must be between 1 and 10000, got 0");
    OutputOptionsTest.Captured glob =
        OutputOptionsTest.run("search", "x", "--path", "src/[a", "--index", tree.toString());
    assertThat(glob.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(glob.err()).contains("unclosed '[' in path glob 'src/[a'");
  }

  @Test
  void rootsThatOverlap() throws Exception {
    Path inner = Files.createDirectories(tree.resolve("inner"));
    OutputOptionsTest.Captured twice =
        OutputOptionsTest.run(
            "index",
            tree.toString(),
            inner.toString(),
            "--no-embed",
            "-q",
            "--index",
            tree.resolve("idx").toString());
    assertThat(twice.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(twice.err()).contains("is inside root");
  }

  @Test
  void badFlagValuesAreUsageErrorsNamingTheValue() {
    OutputOptionsTest.Captured mode = OutputOptionsTest.run("search", "x", "--mode", "fuzzy");
    assertThat(mode.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(mode.err()).contains("--mode").contains("unknown search mode 'fuzzy'");
    OutputOptionsTest.Captured evalMode =
        OutputOptionsTest.run("eval", "/nowhere", "--mode", "fuzzy");
    assertThat(evalMode.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(evalMode.err()).contains("unknown search mode 'fuzzy'");
    OutputOptionsTest.Captured evalModel =
        OutputOptionsTest.run("eval", "/nowhere", "--model", "gpt-9");
    assertThat(evalModel.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(evalModel.err())
        .contains("--model: unknown embedding model 'gpt-9'")
        .contains("minilm-static");
    OutputOptionsTest.Captured duration =
        OutputOptionsTest.run("cache", "prune", "--unused-for", "soon");
    assertThat(duration.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(duration.err()).contains("--unused-for").contains("'soon' is not a duration");
    OutputOptionsTest.Captured nothing = OutputOptionsTest.run("cache", "prune");
    assertThat(nothing.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(nothing.err()).contains("say what to prune");
    OutputOptionsTest.Captured runs = OutputOptionsTest.run("bench", "--quick", "--runs", "0");
    assertThat(runs.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(runs.err()).contains("--runs").contains("'0' is not a whole number of at least 1");
  }

  @Test
  void everySubcommandHasHelp() {
    for (String[] command :
        new String[][] {{"index"}, {"search"}, {"sync"}, {"cache", "prune"}, {"check"}}) {
      String[] args = java.util.Arrays.copyOf(command, command.length + 1);
      args[command.length] = "--help";
      OutputOptionsTest.Captured help = OutputOptionsTest.run(args);
      assertThat(help.exit()).as(String.join(" ", args)).isZero();
      assertThat(help.out())
          .as(String.join(" ", args))
          .contains("Usage: quarry " + String.join(" ", command));
    }
  }
}
