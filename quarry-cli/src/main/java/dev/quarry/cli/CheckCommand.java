package dev.quarry.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.quarry.Quarry;
import dev.quarry.check.CheckReport;
import dev.quarry.check.IndexChecker;
import dev.quarry.check.IndexProblem;
import dev.quarry.store.IndexBusyException;
import dev.quarry.store.RemoteStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "check",
    description = {
      "Checks the index: Lucene's own check of its files, then that every file's manifest entry and chunks agree.",
      "--repair removes the files that disagree, so that the next 'quarry index' indexes them again."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the index is consistent (or was repaired)",
      "1:problems that 'quarry check --repair' fixes",
      "3:no index found",
      "4:the index is damaged and must be rebuilt, or a run is writing it"
    })
final class CheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin IndexLocation location;

  @Option(
      names = "--repair",
      description =
          "Remove every document of each file whose manifest entry and chunks disagree (not for a damaged index).")
  boolean repair;

  @Option(
      names = "--thorough",
      description =
          "Have Lucene decode every structure of the index, not only verify its checksums (minutes on a big index).")
  boolean thorough;

  @Mixin JsonOption json;

  @Override
  public Integer call() throws Exception {
    Optional<RemoteStore> remote = location.remote();
    if (remote.isPresent()) {
      try (RemoteStore store = remote.get()) {
        return checkRemote(store);
      }
    }
    // Real, so the advice compares it with the roots, which the index records as real paths.
    Path dir = location.locate().toRealPath();
    IndexChecker.Depth depth =
        thorough ? IndexChecker.Depth.STRUCTURES : IndexChecker.Depth.CHECKSUMS;
    return checkAndRepair(() -> Quarry.check(dir, depth), () -> Quarry.repair(dir));
  }

  /**
   * A remote store's check: its manifest against its chunks (its engine checks its own files, so
   * there is no depth); {@code --repair} removes the files that disagree.
   */
  private int checkRemote(RemoteStore store) throws IOException {
    if (thorough) {
      throw new UsageException(
          "--thorough is for the embedded index: a remote store's engine checks its own files");
    }
    return checkAndRepair(() -> Quarry.check(store), () -> Quarry.repair(store));
  }

  /** A step of the check that reads or writes the index. */
  @FunctionalInterface
  private interface IndexCall<T> {
    T call() throws IOException;
  }

  /**
   * Checks; with {@code --repair}, an index with problems (not damaged) is repaired and checked
   * again. A run writing the index meanwhile is an error that says to come back.
   */
  private int checkAndRepair(IndexCall<CheckReport> check, IndexCall<Long> repairer)
      throws IOException {
    try {
      CheckReport report = check.call();
      if (report.damaged() || report.consistent() || !repair) {
        print(report, null, null);
        return exitCode(report);
      }
      long removed = repairer.call();
      CheckReport after = check.call();
      print(report, removed, after);
      return exitCode(after);
    } catch (IndexBusyException e) {
      spec.commandLine()
          .getErr()
          .println(
              "quarry: "
                  + TerminalText.safe(e.getMessage())
                  + "; run 'quarry check' again after it ends");
      return ExitCodes.ERROR;
    }
  }

  private static int exitCode(CheckReport report) {
    if (report.damaged()) {
      return ExitCodes.ERROR;
    }
    // 1, as for a run with failed files: the index works, and there is something to do about it.
    return report.consistent() ? ExitCodes.OK : ExitCodes.PARTIAL;
  }

  private void print(CheckReport report, Long removed, CheckReport after) {
    PrintWriter stdout = spec.commandLine().getOut();
    if (json.enabled) {
      Repair repair = removed == null ? null : new Repair(removed, toJson(after, null));
      stdout.println(Json.write(toJson(report, repair)));
      return;
    }
    CheckReportText.print(report, stdout);
    if (removed != null) {
      CheckReportText.printRepair(removed, after, stdout);
    }
  }

  /**
   * What {@code check --json} prints.
   *
   * @param luceneCheck how deep Lucene's check went (absent for a remote store)
   * @param damage what Lucene's check found broken (empty when nothing)
   * @param problems the first problems found, in file order
   * @param repair what {@code --repair} did; null (left out) without it
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record CheckOutput(
      String index,
      List<String> roots,
      String luceneCheck,
      boolean consistent,
      boolean damaged,
      List<String> damage,
      long files,
      long chunks,
      long vectors,
      long inconsistentFiles,
      long problemCount,
      Map<IndexProblem.Kind, Long> problemsByKind,
      List<IndexProblem> problems,
      Repair repair) {}

  /**
   * @param after the check of the index after the repair
   */
  record Repair(long filesRemoved, CheckOutput after) {}

  private static CheckOutput toJson(CheckReport report, Repair repair) {
    return new CheckOutput(
        report.index(),
        report.roots(),
        report.depth() == null ? null : report.depth().name(),
        report.consistent(),
        report.damaged(),
        report.damage(),
        report.files(),
        report.chunks(),
        report.vectors(),
        report.inconsistentFiles(),
        report.problemCount(),
        report.problemsByKind(),
        report.problems(),
        repair);
  }
}
