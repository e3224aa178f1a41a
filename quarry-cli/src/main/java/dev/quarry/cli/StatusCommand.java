package dev.quarry.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.index.IndexMetadata;
import dev.quarry.index.IndexStats;
import dev.quarry.index.QuarryIndex;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = location.locate();
    try (QuarryIndex index = QuarryIndex.openForReading(dir)) {
      Map<String, String> data = index.commitData();
      IndexStats stats = index.stats();
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("index", dir.toString());
      List<String> roots = IndexMetadata.roots(data);
      // A root that is gone (moved, renamed, unmounted) keeps its files in the index: runs only
      // touch the roots they are given, so say so rather than let stale hits surprise anyone.
      List<String> missingRoots = roots.stream().filter(r -> !Files.isDirectory(Path.of(r))).toList();
      status.put("roots", roots);
      status.put("missingRoots", missingRoots);
      status.put("files", stats.files());
      status.put("chunks", stats.chunks());
      status.put("vectors", stats.vectors());
      status.put("vectorCoverage", stats.chunks() == 0 ? 1.0 : (double) stats.vectors() / stats.chunks());
      status.put("bytesOnDisk", stats.bytesOnDisk());
      status.put("model", data.getOrDefault(IndexMetadata.MODEL, null));
      String lastRun = data.get(IndexMetadata.LAST_RUN);
      status.put("lastRun", lastRun == null ? null : new ObjectMapper().readTree(lastRun));
      if (json.enabled) {
        out.println(Json.write(status));
      } else {
        out.println("index:   " + dir);
        out.println("roots:   " + String.join(", ", roots));
        for (String missing : missingRoots) {
          out.println("         missing: " + missing + " is not a directory any more; its files stay in the"
              + " index (index into a new --index to leave them out)");
        }
        out.printf("files:   %,d%nchunks:  %,d%nvectors: %,d (%.0f%%)%nsize:    %.1f MB%n",
            stats.files(), stats.chunks(), stats.vectors(),
            100 * (double) status.get("vectorCoverage"), stats.bytesOnDisk() / 1e6);
        out.println("model:   " + data.getOrDefault(IndexMetadata.MODEL, "(none: lexical only)"));
        if (lastRun != null) {
          var run = new ObjectMapper().readTree(lastRun);
          out.printf("last run: %s, %.1fs, %s indexed, %s unchanged, %s deleted, %s skipped, %s failed%n",
              run.path("startedAt").asText(), run.path("wallSeconds").asDouble(),
              run.path("files").path("indexed"), run.path("files").path("unchanged"),
              run.path("files").path("deleted"), run.path("files").path("skipped"),
              run.path("files").path("failed"));
        }
      }
    }
    return ExitCodes.OK;
  }
}
