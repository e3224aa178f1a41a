package dev.quarry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.index.IndexLock;
import dev.quarry.index.IndexMetadata;
import dev.quarry.index.QuarryIndex;
import dev.quarry.pipeline.RunStatus;
import dev.quarry.pipeline.RunSummaryJson;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "runs", description = {
    "The last 100 indexing runs, kept in the index: id, status, counts, stages, bottleneck, memory.",
    "Status: running (holds the index now), completed, interrupted (Ctrl-C, killed or crashed: its committed "
        + "work is kept, the next run finishes the rest), failed."})
final class RunsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin IndexLocation location;

  @Option(names = "--last", description = "Only the last run, in full (with --json: one object, not an array).")
  boolean last;

  @Mixin JsonOption json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = location.locate();
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> runs = new ArrayList<>();
    String history;
    try (QuarryIndex index = QuarryIndex.openForReading(dir)) {
      history = index.commitData().get(IndexMetadata.RUNS);
    }
    long highestId = RunSummaryJson.highestId(history);
    // The run holding the lock now, or one that died holding it and is not in the history yet.
    IndexLock.lastHolder(dir).filter(h -> h.runId() > highestId).ifPresent(h -> runs.add(lockedRun(mapper, h)));
    for (String report : RunSummaryJson.reports(history)) {
      runs.add(mapper.readTree(report));
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
    out.printf("%5s %-5s %-11s %-24s %9s %9s %9s %8s %8s %7s %9s  %s%n", "id", "kind", "status",
        "started", "seconds", "indexed", "unchanged", "deleted", "skipped", "failed", "embedded", "bottleneck");
    for (JsonNode run : runs) {
      JsonNode files = run.path("files");
      out.printf("%5s %-5s %-11s %-24s %9.1f %9d %9d %8d %8d %7d %9d  %s%n",
          run.path("id").asText("-"), run.path("kind").asText("index"), run.path("status").asText("completed"),
          run.path("startedAt").asText(), run.path("wallSeconds").asDouble(), files.path("indexed").asLong(),
          files.path("unchanged").asLong(), files.path("deleted").asLong(), files.path("skipped").asLong(),
          files.path("failed").asLong(), run.path("chunks").path("embedded").asLong(), run.path("bottleneck").asText());
    }
    return ExitCodes.OK;
  }

  /** A run known only from the lock: running now, or dead without a report. */
  private static JsonNode lockedRun(ObjectMapper mapper, IndexLock.Holder holder) {
    boolean alive = holder.alive();
    var node = mapper.createObjectNode();
    node.put("id", holder.runId());
    node.put("kind", holder.kind());
    node.put("status", (alive ? RunStatus.RUNNING : RunStatus.INTERRUPTED).label());
    node.put("startedAt", holder.since().toString());
    node.put("pid", holder.pid());
    node.put("note", alive ? "holds the index now (" + holder.describe() + ")" : RunSummaryJson.KILLED_NOTE);
    return node;
  }

  private static void printDetails(PrintWriter out, JsonNode run) {
    JsonNode files = run.path("files");
    out.printf("run %s (%s) started %s, %s, %.1fs%n", run.path("id").asText("-"),
        run.path("kind").asText("index"), run.path("startedAt").asText(), run.path("status").asText("completed"),
        run.path("wallSeconds").asDouble());
    if (run.has("note")) {
      out.println("  " + run.path("note").asText());
    }
    out.printf("  files: %d indexed, %d unchanged, %d deleted, %d skipped, %d failed%n",
        files.path("indexed").asLong(), files.path("unchanged").asLong(), files.path("deleted").asLong(),
        files.path("skipped").asLong(), files.path("failed").asLong());
    out.printf("  chunks: %d written, %d embedded, %d reused, %d in index%n",
        run.path("chunks").path("written").asLong(), run.path("chunks").path("embedded").asLong(),
        run.path("chunks").path("reused").asLong(), run.path("chunks").path("total").asLong());
    StageTable.print(out, run);
    out.printf("  memory: peak RSS %.0f MB, peak heap %.0f MB, GC %.2fs%n",
        run.path("peakRssBytes").asLong() / 1e6, run.path("peakHeapBytes").asLong() / 1e6, run.path("gcSeconds").asDouble());
  }
}
