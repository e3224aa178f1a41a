package dev.quarry.cli;

import dev.quarry.index.IndexMetadata;
import dev.quarry.index.IndexStats;
import dev.quarry.index.QuarryIndex;
import dev.quarry.pipeline.RunReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;

@Command(name = "status", description = "What the index holds: roots, files, chunks, vectors, size, model, last run.")
final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin IndexLocation location;

  @Mixin JsonOption json;

  /**
   * What {@code status --json} prints.
   *
   * @param missingRoots roots that are no longer directories (their files stay in the index)
   * @param vectorCoverage vectors over chunks (1 for an empty index)
   * @param model the model identity of the index's vectors; null while it has none
   * @param lastRun the last run's report; null before the first run
   */
  record Status(String index, List<String> roots, List<String> missingRoots, long files, long chunks, long vectors,
      double vectorCoverage, long bytesOnDisk, String model, RunReport lastRun) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = location.locate();
    Status status;
    try (QuarryIndex index = QuarryIndex.openForReading(dir)) {
      Map<String, String> data = index.commitData();
      IndexStats stats = index.stats();
      List<String> roots = IndexMetadata.roots(data);
      // A root that is gone (moved, renamed, unmounted) keeps its files in the index: runs only
      // touch the roots they are given, so say so rather than let stale hits surprise anyone.
      List<String> missingRoots = roots.stream().filter(r -> !Files.isDirectory(Path.of(r))).toList();
      String lastRun = data.get(IndexMetadata.LAST_RUN);
      status = new Status(dir.toString(), roots, missingRoots, stats.files(), stats.chunks(), stats.vectors(),
          stats.chunks() == 0 ? 1.0 : (double) stats.vectors() / stats.chunks(), stats.bytesOnDisk(),
          data.get(IndexMetadata.MODEL), lastRun == null ? null : RunReport.parse(lastRun));
    }
    if (json.enabled) {
      out.println(Json.write(status));
      return ExitCodes.OK;
    }
    out.println("index:   " + status.index());
    out.println("roots:   " + String.join(", ", status.roots()));
    for (String missing : status.missingRoots()) {
      out.println("         missing: " + missing + " is not a directory any more; its files stay in the"
          + " index (index into a new --index to leave them out)");
    }
    out.printf("files:   %,d%nchunks:  %,d%nvectors: %,d (%.0f%%)%nsize:    %.1f MB%n",
        status.files(), status.chunks(), status.vectors(), 100 * status.vectorCoverage(), status.bytesOnDisk() / 1e6);
    out.println("model:   " + (status.model() == null ? "(none: lexical only)" : status.model()));
    RunReport run = status.lastRun();
    if (run != null) {
      RunReport.Files files = run.files();
      out.printf("last run: %s, %.1fs, %s indexed, %s unchanged, %s deleted, %s skipped, %s failed%n",
          run.startedAt(), run.wallSeconds() == null ? 0 : run.wallSeconds(),
          files == null ? "" : files.indexed(), files == null ? "" : files.unchanged(),
          files == null ? "" : files.deleted(), files == null ? "" : files.skipped(),
          files == null ? "" : files.failed());
    }
    return ExitCodes.OK;
  }
}
