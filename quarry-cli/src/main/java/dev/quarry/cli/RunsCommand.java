package dev.quarry.cli;

import dev.quarry.Quarry;
import dev.quarry.pipeline.RunReport;
import dev.quarry.pipeline.RunStatus;
import dev.quarry.store.RemoteStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "runs",
    description = {
      "The last 100 indexing runs, kept in the index: id, status, counts, stages, bottleneck, memory.",
      "Status: running (holds the index now), completed, interrupted (Ctrl-C, killed or crashed: its committed "
          + "work is kept, the next run finishes the rest), failed."
    })
final class RunsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin IndexLocation location;

  @Option(
      names = "--last",
      description = "Only the last run, in full (with --json: one object, not an array).")
  boolean last;

  @Mixin JsonOption json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<RunReport> runs;
    Optional<RemoteStore> remote = location.remote();
    if (remote.isPresent()) {
      try (RemoteStore store = remote.get()) {
        runs = Quarry.runs(store);
      }
    } else {
      runs = Quarry.runs(location.locate());
    }
    if (json.enabled) {
      out.println(Json.write(last ? (runs.isEmpty() ? null : runs.get(0)) : runs));
      return ExitCodes.OK;
    }
    if (runs.isEmpty()) {
      out.println("no runs yet");
      return ExitCodes.OK;
    }
    if (last) {
      printDetails(out, runs.get(0));
      return ExitCodes.OK;
    }
    out.printf(
        "%5s %-5s %-11s %-24s %9s %9s %9s %8s %8s %7s %9s  %s%n",
        "id",
        "kind",
        "status",
        "started",
        "seconds",
        "indexed",
        "unchanged",
        "deleted",
        "skipped",
        "failed",
        "embedded",
        "bottleneck");
    for (RunReport run : runs) {
      RunReport.Files files = filesOf(run);
      out.printf(
          "%5s %-5s %-11s %-24s %9.1f %9d %9d %8d %8d %7d %9d  %s%n",
          id(run),
          kind(run),
          status(run),
          run.startedAt(),
          orZero(run.wallSeconds()),
          files.indexed(),
          files.unchanged(),
          files.deleted(),
          files.skipped(),
          files.failed(),
          chunksOf(run).embedded(),
          run.bottleneck() == null ? "" : run.bottleneck());
    }
    return ExitCodes.OK;
  }

  // Reports written before runs had ids have no id, kind or status; an unfinished run's has no
  // counts.

  private static String id(RunReport run) {
    return run.id() == null ? "-" : run.id().toString();
  }

  private static String kind(RunReport run) {
    return run.kind() == null ? "index" : run.kind();
  }

  private static String status(RunReport run) {
    return (run.status() == null ? RunStatus.COMPLETED : run.status()).label();
  }

  private static RunReport.Files filesOf(RunReport run) {
    return run.files() == null ? new RunReport.Files(0, 0, 0, 0, 0, 0) : run.files();
  }

  private static RunReport.Chunks chunksOf(RunReport run) {
    return run.chunks() == null ? new RunReport.Chunks(0, 0, 0, 0) : run.chunks();
  }

  private static double orZero(Double value) {
    return value == null ? 0 : value;
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }

  private static void printDetails(PrintWriter out, RunReport run) {
    RunReport.Files files = filesOf(run);
    RunReport.Chunks chunks = chunksOf(run);
    out.printf(
        "run %s (%s) started %s, %s, %.1fs%n",
        id(run), kind(run), run.startedAt(), status(run), orZero(run.wallSeconds()));
    if (run.note() != null) {
      out.println("  " + TerminalText.safe(run.note()));
    }
    out.printf(
        "  files: %d indexed, %d unchanged, %d deleted, %d skipped, %d failed%n",
        files.indexed(), files.unchanged(), files.deleted(), files.skipped(), files.failed());
    out.printf(
        "  chunks: %d written, %d embedded, %d reused, %d in index%n",
        chunks.written(), chunks.embedded(), chunks.reused(), chunks.total());
    StageTable.print(out, run);
    out.printf(
        "  memory: peak RSS %.0f MB, peak heap %.0f MB, GC %.2fs%n",
        orZero(run.peakRssBytes()) / 1e6,
        orZero(run.peakHeapBytes()) / 1e6,
        orZero(run.gcSeconds()));
  }
}
