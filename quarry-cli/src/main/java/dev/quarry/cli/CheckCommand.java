package dev.quarry.cli;

import dev.quarry.Quarry;
import dev.quarry.index.CheckReport;
import dev.quarry.index.IndexChecker;
import dev.quarry.index.IndexProblem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.lucene.store.LockObtainFailedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "check",
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

  @Option(names = "--repair",
      description = "Remove every document of each file whose manifest entry and chunks disagree (not for a damaged index).")
  boolean repair;

  @Option(names = "--thorough",
      description = "Have Lucene decode every structure of the index, not only verify its checksums (minutes on a big index).")
  boolean thorough;

  @Mixin JsonOption json;

  @Override
  public Integer call() throws Exception {
    // Real, so the advice compares it with the roots, which the index records as real paths.
    Path dir = location.locate().toRealPath();
    try {
      IndexChecker.Depth depth = thorough ? IndexChecker.Depth.STRUCTURES : IndexChecker.Depth.CHECKSUMS;
      CheckReport report = Quarry.check(dir, depth);
      if (report.damaged() || report.consistent() || !repair) {
        print(report, null, null);
        return exitCode(report);
      }
      long removed = Quarry.repair(dir);
      CheckReport after = Quarry.check(dir, depth);
      print(report, removed, after);
      return exitCode(after);
    } catch (dev.quarry.index.IndexLockedException e) {
      spec.commandLine().getErr().println("quarry: " + e.getMessage() + "; run 'quarry check' again after it ends");
      return ExitCodes.ERROR;
    } catch (LockObtainFailedException e) {
      spec.commandLine().getErr().println("quarry: a Quarry run is writing the index at " + dir + " (or another check is running:"
          + " either holds the index's write lock); run 'quarry check' again after it ends");
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
      Map<String, Object> out = toJson(report);
      if (removed != null) {
        Map<String, Object> repaired = new LinkedHashMap<>();
        repaired.put("filesRemoved", removed);
        repaired.put("after", toJson(after));
        out.put("repair", repaired);
      }
      stdout.println(Json.write(out));
      return;
    }
    CheckReportText.print(report, stdout);
    if (removed != null) {
      CheckReportText.printRepair(removed, after, stdout);
    }
  }

  private static Map<String, Object> toJson(CheckReport report) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("index", report.index().toString());
    json.put("roots", report.roots());
    json.put("luceneCheck", report.depth().name());
    json.put("consistent", report.consistent());
    json.put("damaged", report.damaged());
    json.put("damage", report.damage());
    json.put("files", report.files());
    json.put("chunks", report.chunks());
    json.put("vectors", report.vectors());
    json.put("inconsistentFiles", report.inconsistentFiles());
    json.put("problemCount", report.problemCount());
    json.put("problemsByKind", report.problemsByKind());
    List<Map<String, String>> problems = report.problems().stream().map(CheckCommand::toJson).toList();
    json.put("problems", problems);
    return json;
  }

  private static Map<String, String> toJson(IndexProblem problem) {
    Map<String, String> json = new LinkedHashMap<>();
    json.put("kind", problem.kind().name());
    json.put("file", problem.file());
    json.put("detail", problem.detail());
    return json;
  }
}
