package dev.quarry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.IndexStatus;
import dev.quarry.Quarry;
import dev.quarry.json.QuarryJson;
import dev.quarry.pipeline.RunReport;
import dev.quarry.store.RemoteStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "status",
    description = "What the index holds: roots, files, chunks, vectors, size, model, last run.")
final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin IndexLocation location;

  @Mixin JsonOption json;

  /** A status, and the server's answer it came from (empty: read from the index itself). */
  private record Found(IndexStatus status, Optional<ServerClient.Answer> served) {}

  /** The status: of the store, or from a server keeping the index open, or of the index itself. */
  private Found find() throws java.io.IOException {
    Optional<RemoteStore> remote = location.remote();
    if (remote.isPresent()) {
      try (RemoteStore store = remote.get()) {
        return new Found(Quarry.status(store), Optional.empty());
      }
    }
    Path dir = location.locate();
    Optional<java.net.URI> server = ServerClient.of(dir);
    Optional<ServerClient.Answer> served =
        server.isPresent() ? ServerClient.get(server.get(), "/v1/status") : Optional.empty();
    // From a server that keeps the index open, when one does: the same status, at once.
    return new Found(
        served.isPresent()
            ? QuarryJson.MAPPER.treeToValue(
                ServerClient.ok(served.get()).path("index"), IndexStatus.class)
            : Quarry.status(dir),
        served);
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Found found = find();
    IndexStatus status = found.status();
    Optional<ServerClient.Answer> served = found.served();
    if (json.enabled) {
      out.println(Json.write(status));
      return ExitCodes.OK;
    }
    out.println("index:   " + TerminalText.safe(status.index()));
    out.println("roots:   " + TerminalText.safe(String.join(", ", status.roots())));
    for (String missing : status.missingRoots()) {
      out.println(
          "         missing: "
              + TerminalText.safe(missing)
              + " is not a directory any more; its files stay in the"
              + " index (index into a new --index to leave them out)");
    }
    out.printf(
        "files:   %,d%nchunks:  %,d%nvectors: %,d (%.0f%%)%nsize:    %.1f MB%n",
        status.files(),
        status.chunks(),
        status.vectors(),
        100 * status.vectorCoverage(),
        status.bytesOnDisk() / 1e6);
    out.println("model:   " + model(status));
    if (served.isPresent()) {
      JsonNode watch = served.get().body().path("watch");
      out.println(
          "served:  by "
              + served.get().server()
              + (watch.path("watching").asBoolean(false)
                  ? " (watching " + watch.path("watchedDirectories").asInt() + " directories)"
                  : ""));
      if (watch.hasNonNull("problem")) { // a root gone, a full disk: what the server is told
        out.println("problem: " + TerminalText.safe(watch.path("problem").asText()));
      }
    }
    RunReport running = status.running();
    if (running != null) {
      out.println(
          "running: "
              + (status.firstRunInProgress()
                  ? "first run"
                  : "run " + running.id() + " (" + TerminalText.safe(running.kind()) + ")")
              + " in progress (pid "
              + running.pid()
              + ", since "
              + running.startedAt()
              + ")");
    }
    RunReport run = status.lastRun();
    if (run != null) {
      RunReport.Files files = run.files();
      out.printf(
          "last run: %s, %.1fs, %s indexed, %s unchanged, %s deleted, %s skipped, %s failed%n",
          run.startedAt(),
          run.wallSeconds() == null ? 0 : run.wallSeconds(),
          files == null ? "" : files.indexed(),
          files == null ? "" : files.unchanged(),
          files == null ? "" : files.deleted(),
          files == null ? "" : files.skipped(),
          files == null ? "" : files.failed());
    }
    return ExitCodes.OK;
  }

  /** The model line: no model says "lexical only" only once a run has finished without one. */
  private static String model(IndexStatus status) {
    if (status.model() != null) {
      return status.model();
    }
    return status.firstRunInProgress()
        ? "(none yet: first run in progress)"
        : "(none: lexical only)";
  }
}
