package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.config.ConfigException;
import dev.quarry.store.IndexMissingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The one mapping of exceptions to exit codes: only the user's mistakes are usage errors. */
class ExitCodesTest {
  @Test
  void theUsersMistakesAreUsageErrors() {
    assertThat(ExitCodes.forException(new UsageException("ROOT x is not a directory")))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(ExitCodes.forException(new ConfigException("--workers: workers: '0' is not ...")))
        .isEqualTo(ExitCodes.USAGE);
    CommandLine cli = QuarryCli.commandLine();
    assertThat(ExitCodes.forException(new CommandLine.ParameterException(cli, "bad")))
        .isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void theLibrarysExceptionsAreErrorsNotUsageErrors() {
    assertThat(ExitCodes.forException(new IllegalArgumentException("a bug")))
        .isEqualTo(ExitCodes.ERROR);
    assertThat(ExitCodes.forException(new IllegalStateException("index has layout version 1")))
        .isEqualTo(ExitCodes.ERROR);
    assertThat(ExitCodes.forException(new IOException("disk full"))).isEqualTo(ExitCodes.ERROR);
    assertThat(ExitCodes.forException(new UncheckedIOException(new IOException("x"))))
        .isEqualTo(ExitCodes.ERROR);
  }

  @Test
  void aMissingIndexAndAnInterruptionHaveTheirOwnCodes() {
    assertThat(ExitCodes.forException(new IndexMissingException(Path.of("/nowhere"))))
        .isEqualTo(ExitCodes.NO_INDEX);
    assertThat(ExitCodes.forException(new InterruptedException())).isEqualTo(ExitCodes.INTERRUPTED);
  }

  @Test
  void theDocumentedCodesAreTheReadmes() {
    assertThat(
            new int[] {
              ExitCodes.OK,
              ExitCodes.PARTIAL,
              ExitCodes.USAGE,
              ExitCodes.NO_INDEX,
              ExitCodes.ERROR,
              ExitCodes.REGRESSION,
              ExitCodes.INTERRUPTED
            })
        .containsExactly(0, 1, 2, 3, 4, 5, 130);
  }

  @Test
  void theHandlerPrintsOneLineAndReturnsTheMappedCode() {
    java.io.StringWriter err = new java.io.StringWriter();
    CommandLine cli = QuarryCli.commandLine();
    cli.setErr(new java.io.PrintWriter(err, true));
    int code =
        new ErrorHandler().handleExecutionException(new IllegalStateException("broken"), cli, null);
    assertThat(code).isEqualTo(ExitCodes.ERROR);
    assertThat(err.toString()).isEqualTo("quarry: broken" + System.lineSeparator());
  }
}
