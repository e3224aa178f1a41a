package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The output mixins, and output that reaches the writers a caller gives (nothing on System.out).
 */
class OutputOptionsTest {
  @Command(name = "reporting")
  static final class Reporting implements Runnable {
    @Mixin OutputOptions output;

    @Override
    public void run() {}
  }

  private static OutputOptions parse(String... args) {
    Reporting command = new Reporting();
    new CommandLine(command).parseArgs(args);
    return command.output;
  }

  @Test
  void progressIsShownUnlessQuietOrJson() {
    assertThat(parse().progress()).isTrue();
    assertThat(parse("-q").progress()).isFalse();
    assertThat(parse("--quiet").json()).isFalse();
    assertThat(parse("--json").progress()).isFalse();
    assertThat(parse("--json").json()).isTrue();
  }

  @Test
  void commandsWithProgressShareTheMixinAndTheOthersTheJsonOption() {
    CommandLine quarry = QuarryCli.commandLine();
    for (String name : new String[] {"index", "sync", "eval", "bench"}) {
      CommandLine.Model.CommandSpec spec = quarry.getSubcommands().get(name).getCommandSpec();
      assertThat(spec.findOption("--quiet")).as(name).isNotNull();
      assertThat(spec.findOption("-q")).as(name).isNotNull();
      assertThat(spec.findOption("--json")).as(name).isNotNull();
    }
    for (String name : new String[] {"search", "status", "runs", "files", "check", "config"}) {
      CommandLine.Model.CommandSpec spec = quarry.getSubcommands().get(name).getCommandSpec();
      assertThat(spec.findOption("--json")).as(name).isNotNull();
      assertThat(spec.findOption("--quiet")).as(name).isNull();
    }
  }

  record Captured(int exit, String out, String err) {}

  static Captured run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = QuarryCli.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Captured(exit, out.toString(), err.toString());
  }

  @Test
  void outputGoesToTheWritersGiven() {
    Captured config = run("config");
    assertThat(config.exit()).as(config.err()).isZero();
    assertThat(config.out())
        .startsWith("SETTING")
        .contains("batch-size")
        .contains("QUARRY_WORKERS");
    Captured help = run("help", "search");
    assertThat(help.out())
        .contains("--mode=MODE")
        .contains("hybrid, lexical, semantic (default: hybrid)");
    Captured usage = run();
    assertThat(usage.err()).contains("Usage: quarry");
  }
}
