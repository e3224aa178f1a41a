package dev.quarry.cli;

import dev.quarry.Quarry;
import dev.quarry.config.QuarryConfig;
import dev.quarry.config.Setting;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.pipeline.RunControl;
import dev.quarry.pipeline.RunListener;
import dev.quarry.server.ServerTelemetry;
import dev.quarry.store.IndexMissingException;
import dev.quarry.watch.LiveIndex;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The tree a resident command keeps searchable ({@code quarry serve}, {@code quarry mcp}): its
 * roots and index found from the command line, the options of the runs that keep the index in step,
 * and the watch that starts them.
 *
 * @param roots the roots, as real paths
 * @param index the index folder
 * @param runOptions options of the reconciles and syncs
 */
record ServedTree(List<Path> roots, Path index, IndexOptions runOptions) {
  /**
   * Served text should be searchable soon after it is saved, its vectors following: a run commits
   * every second while a resident command keeps the index (unless commit-interval is set).
   */
  private static final Duration SERVING_COMMIT_INTERVAL = Duration.ofSeconds(1);

  /**
   * The roots given (or, with none, those of the index found from the working folder) and the index
   * ({@code --index}, else FIRST_ROOT/.quarry).
   *
   * @param command the command's name, for the usage message when nothing names a tree
   */
  static ServedTree resolve(
      List<Path> givenRoots, Path indexDir, QuarryConfig config, String command)
      throws IOException {
    Path here = Path.of("").toAbsolutePath();
    List<Path> roots = new ArrayList<>();
    Path index;
    if (givenRoots.isEmpty()) {
      try {
        index = IndexLocator.locate(indexDir, here);
      } catch (IndexMissingException e) {
        throw new UsageException(
            e.getMessage() + "; give the folders to index: quarry " + command + " ROOT...", e);
      }
      roots.addAll(Quarry.describe(index).roots());
    } else {
      for (Path root : givenRoots) {
        Path abs = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
          throw new UsageException("ROOT " + root + " is not a directory");
        }
        roots.add(abs.toRealPath());
      }
      index =
          indexDir != null
              ? indexDir.toAbsolutePath().normalize()
              : roots.get(0).resolve(IndexLocator.DEFAULT_DIR_NAME);
    }
    // An index without vectors stays lexical: a reconcile does not embed it all behind one's back.
    boolean embed = !Quarry.isIndex(index) || Quarry.describe(index).hasVectors();
    try {
      IndexOptions configured = config.indexOptions(roots, index, embed);
      IndexOptions runOptions =
          config.source(Setting.COMMIT_INTERVAL).equals("default")
              ? configured.withCommitInterval(SERVING_COMMIT_INTERVAL)
              : configured;
      return new ServedTree(List.copyOf(roots), index, runOptions);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  /** Prints the runs' warnings to {@code err}, one line each. */
  static RunListener warningsTo(PrintWriter err) {
    return new RunListener() {
      @Override
      public void onWarning(String message) {
        err.println("quarry: warning: " + TerminalText.safe(message));
        err.flush();
      }
    };
  }

  /**
   * One run over the roots (a reconcile) with the configured embedder, recording into {@code
   * telemetry}, its warnings to {@code err}; {@code control} stops it (it commits what it has).
   */
  void reconcile(
      QuarryConfig config, ServerTelemetry telemetry, PrintWriter err, RunControl control)
      throws IOException, InterruptedException {
    telemetry
        .observe(Quarry.run(runOptions))
        .embedder(config.embedder())
        .listener(warningsTo(err))
        .control(control)
        .index();
  }

  /**
   * Starts watching the roots: the start-up reconcile at once, then a sync per batch of changes,
   * each run recording into {@code telemetry}; problems (a root gone, a full disk, a failed run) go
   * to {@code err}.
   */
  LiveIndex watch(QuarryConfig config, ServerTelemetry telemetry, PrintWriter err)
      throws IOException {
    RunListener warnings = warningsTo(err);
    return LiveIndex.start(
        runOptions,
        run -> telemetry.observe(run.embedder(config.embedder()).listener(warnings)),
        telemetry.registry(),
        problem -> {
          err.println("quarry: watch: " + TerminalText.safe(problem));
          err.flush();
        });
  }
}
