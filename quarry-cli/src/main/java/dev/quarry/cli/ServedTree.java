package dev.quarry.cli;

import dev.quarry.Quarry;
import dev.quarry.config.QuarryConfig;
import dev.quarry.config.Setting;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.pipeline.RunAssembler;
import dev.quarry.pipeline.RunControl;
import dev.quarry.pipeline.RunListener;
import dev.quarry.server.IndexSource;
import dev.quarry.server.SearchServer;
import dev.quarry.server.ServerTelemetry;
import dev.quarry.store.IndexMissingException;
import dev.quarry.store.RemoteStore;
import dev.quarry.watch.LiveIndex;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The tree a resident command keeps searchable ({@code quarry serve}, {@code quarry mcp}): its
 * roots and index found from the command line, the options of the runs that keep the index in step,
 * and the watch that starts them. The index is a folder, or a remote store ({@code --store}), which
 * this closes.
 *
 * @param roots the roots, as real paths; none: a remote store's index served as it is (search only,
 *     another machine indexes it)
 * @param index the index folder (for a remote store, unused: its runs write into the store)
 * @param runOptions options of the reconciles and syncs; null when there are no roots
 * @param remote the remote store holding the index; null: the embedded index in {@code index}
 */
record ServedTree(List<Path> roots, Path index, IndexOptions runOptions, RemoteStore remote)
    implements AutoCloseable {
  /**
   * Served text should be searchable soon after it is saved, its vectors following: a run commits
   * every second while a resident command keeps the index (unless commit-interval is set).
   */
  private static final Duration SERVING_COMMIT_INTERVAL = Duration.ofSeconds(1);

  /**
   * The roots given (or, with none, those of the index found from the working folder) and the index
   * ({@code --store}, else {@code --index}, else FIRST_ROOT/.quarry).
   *
   * @param command the command's name, for the usage message when nothing names a tree
   */
  static ServedTree resolve(
      List<Path> givenRoots, Path indexDir, QuarryConfig config, String command)
      throws IOException {
    if (config.store().isPresent()) {
      if (indexDir != null) {
        throw new UsageException(IndexLocation.INDEX_WITH_STORE);
      }
      return inStore(givenRoots, config);
    }
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
      roots.addAll(realRoots(givenRoots));
      index =
          indexDir != null
              ? indexDir.toAbsolutePath().normalize()
              : roots.get(0).resolve(IndexLocator.DEFAULT_DIR_NAME);
    }
    // An index without vectors stays lexical: a reconcile does not embed it all behind one's back.
    boolean embed = !Quarry.isIndex(index) || Quarry.describe(index).hasVectors();
    return new ServedTree(List.copyOf(roots), index, runOptions(config, roots, index, embed), null);
  }

  /**
   * The index in the store the settings name: the roots given are indexed into it and watched; with
   * none, it is served as it is (the roots it records may be another machine's).
   */
  private static ServedTree inStore(List<Path> givenRoots, QuarryConfig config) throws IOException {
    RemoteStore remote = Quarry.remoteStore(config.store().get());
    try {
      if (givenRoots.isEmpty()) {
        return new ServedTree(List.of(), null, null, remote);
      }
      List<Path> roots = realRoots(givenRoots);
      boolean embed = !remote.exists() || Quarry.describe(remote).hasVectors();
      // The options' folder is unused: the runs write into the store.
      Path unused = roots.get(0).resolve(IndexLocator.DEFAULT_DIR_NAME);
      return new ServedTree(roots, unused, runOptions(config, roots, unused, embed), remote);
    } catch (IOException | RuntimeException e) {
      try {
        remote.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  private static List<Path> realRoots(List<Path> givenRoots) throws IOException {
    List<Path> roots = new ArrayList<>();
    for (Path root : givenRoots) {
      Path abs = root.toAbsolutePath().normalize();
      if (!Files.isDirectory(abs)) {
        throw new UsageException("ROOT " + root + " is not a directory");
      }
      roots.add(abs.toRealPath());
    }
    return List.copyOf(roots);
  }

  private static IndexOptions runOptions(
      QuarryConfig config, List<Path> roots, Path index, boolean embed) {
    try {
      IndexOptions configured = config.indexOptions(roots, index, embed);
      return config.source(Setting.COMMIT_INTERVAL).equals("default")
          ? configured.withCommitInterval(SERVING_COMMIT_INTERVAL)
          : configured;
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  /** Whether there are roots to index (else the index is only searched). */
  boolean indexes() {
    return !roots.isEmpty();
  }

  /** Where the index is, for the server and the tools. */
  IndexSource source() {
    return remote != null ? IndexSource.remote(remote) : IndexSource.folder(index);
  }

  /** Where the index is, for people. */
  String location() {
    return remote != null ? remote.location() : index.toString();
  }

  /** Opens the index for search, query vectors from the configured embedder. */
  SearchServer.SessionOpener opener(QuarryConfig config) {
    return remote != null
        ? () -> Quarry.search(remote).embedder(config.embedder()).open()
        : () -> Quarry.search(index).embedder(config.embedder()).open();
  }

  /**
   * The base URL of a live {@code quarry serve} keeping this (embedded) index live; empty for a
   * remote store, whose writers its own locks keep apart.
   */
  Optional<URI> servedBy() {
    return remote != null ? Optional.empty() : SearchServer.runningFor(index);
  }

  @Override
  public void close() throws IOException {
    if (remote != null) {
      remote.close();
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
    RunAssembler run = Quarry.run(runOptions);
    telemetry
        .observe(remote != null ? run.into(remote) : run)
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
    UnaryOperator<RunAssembler> configure =
        run -> telemetry.observe(run.embedder(config.embedder()).listener(warnings));
    Consumer<String> log =
        problem -> {
          err.println("quarry: watch: " + TerminalText.safe(problem));
          err.flush();
        };
    return remote != null
        ? LiveIndex.start(runOptions, remote, configure, telemetry.registry(), log)
        : LiveIndex.start(runOptions, configure, telemetry.registry(), log);
  }
}
