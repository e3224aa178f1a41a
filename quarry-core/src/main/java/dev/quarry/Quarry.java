package dev.quarry;

import dev.quarry.cache.CacheSettings;
import dev.quarry.changes.ChangeLists;
import dev.quarry.changes.ChangeRequest;
import dev.quarry.changes.Framing;
import dev.quarry.check.CheckReport;
import dev.quarry.check.IndexChecker;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.index.IndexInventory;
import dev.quarry.index.QuarryIndex;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.pipeline.RunAssembler;
import dev.quarry.pipeline.RunHistory;
import dev.quarry.pipeline.RunReport;
import dev.quarry.pipeline.SyncPreview;
import dev.quarry.search.Searcher;
import dev.quarry.serve.EmbeddingServer;
import dev.quarry.serve.ServeOptions;
import dev.quarry.store.IndexBusyException;
import dev.quarry.store.IndexLock;
import dev.quarry.store.IndexMetadata;
import dev.quarry.store.IndexStats;
import dev.quarry.store.IndexStore;
import dev.quarry.store.ManifestVisitor;
import dev.quarry.store.RemoteStore;
import dev.quarry.store.RemoteStores;
import dev.quarry.store.StoreView;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The library's front door: every operation on an index goes through here, so the CLI, the server
 * and any program embedding Quarry use the same engine the same way.
 *
 * <pre>
 *   RunSummary run = Quarry.run(options).listener(progress).control(stop).index();
 *   try (Quarry.SearchSession session = Quarry.search(indexDir).open()) {
 *     List&lt;SearchHit&gt; hits = session.searcher().search(SearchRequest.of("retry policy", 10, SearchMode.HYBRID));
 *   }
 * </pre>
 *
 * Thread-safety: the static operations are; a {@link SearchSession} is, for searches.
 */
public final class Quarry {
  private Quarry() {}

  /**
   * A run over {@code options.roots()} into {@code options.indexDir()}, to configure and start:
   * {@code .index()} walks the roots, {@code .sync(changes)} applies a change list.
   */
  public static RunAssembler run(IndexOptions options) {
    return RunAssembler.of(options);
  }

  /** An index to open for search, to configure and {@code open()}. */
  public static SearchSessionBuilder search(Path indexDir) {
    return new SearchSessionBuilder(indexDir);
  }

  /** A remote store's index (a SolrCloud collection) to open for search. */
  public static SearchSessionBuilder search(RemoteStore store) {
    return new SearchSessionBuilder(store);
  }

  /**
   * The remote store {@code address} names ({@code solr:http://host:8983/solr/COLLECTION}); close
   * it when done.
   *
   * @throws IllegalArgumentException naming the address when it is malformed or of an unknown kind
   */
  public static RemoteStore remoteStore(String address) {
    return RemoteStores.open(address);
  }

  /** Whether {@code dir} holds an index. */
  public static boolean isIndex(Path dir) {
    return QuarryIndex.exists(dir);
  }

  /**
   * Serves the in-process model {@code model} as an OpenAI-compatible embeddings endpoint on {@code
   * address} ({@code quarry serve --embeddings}); closing the server drains its requests, then
   * frees the model.
   */
  public static EmbeddingService serveEmbeddings(
      String model, int threads, InetSocketAddress address) throws IOException {
    return serveEmbeddings(model, threads, ServeOptions.of(address));
  }

  /**
   * As {@link #serveEmbeddings(String, int, InetSocketAddress)}, with a token and limits.
   *
   * @throws IllegalArgumentException when the address is not loopback and {@code options} have no
   *     token (checked before the model is loaded)
   */
  public static EmbeddingService serveEmbeddings(String model, int threads, ServeOptions options)
      throws IOException {
    if (!options.loopbackOnly() && options.token().isEmpty()) {
      throw new IllegalArgumentException(
          "serving on "
              + options.address().getHostString()
              + " (not loopback) needs a token, or anyone on the network could use the server");
    }
    EmbeddingModel loaded = EmbeddingModels.load(model, threads);
    try {
      return new EmbeddingService(loaded, EmbeddingServer.start(loaded, options));
    } catch (IOException | RuntimeException e) {
      loaded.close();
      throw e;
    }
  }

  /** A running embeddings server and the model it serves. */
  public record EmbeddingService(EmbeddingModel model, EmbeddingServer server)
      implements Closeable {
    public String modelId() {
      return model.identity().id();
    }

    public URI baseUri() {
      return server.baseUri();
    }

    public int port() {
      return server.port();
    }

    /** Whether it listens on every address of the machine ({@link #baseUri} is then loopback). */
    public boolean listensOnAllAddresses() {
      return server.listensOnAllAddresses();
    }

    /** Whether requests must carry the token. */
    public boolean requiresToken() {
      return server.requiresToken();
    }

    /** Stops the server (requests in flight finish), then frees the model. */
    @Override
    public void close() throws IOException {
      try {
        server.close();
      } finally {
        model.close();
      }
    }
  }

  /** What the index in {@code indexDir} says of itself: its roots and model. */
  public static IndexDescription describe(Path indexDir) throws IOException {
    try (QuarryIndex index = QuarryIndex.openForReading(indexDir)) {
      return IndexDescription.of(indexDir, index.commitData());
    }
  }

  /**
   * What the index in {@code indexDir} holds: roots (and which are gone), counts, model, last run.
   */
  public static IndexStatus status(Path indexDir) throws IOException {
    try (QuarryIndex index = QuarryIndex.openForReading(indexDir)) {
      return status(indexDir.toString(), index, runInProgress(indexDir));
    }
  }

  /** What a remote store's index holds, as {@link #status(Path)} says it of an embedded one. */
  public static IndexStatus status(RemoteStore remote) throws IOException {
    try (IndexStore index = remote.openForReading()) {
      return status(remote.location(), index, remote.liveWriter().map(RunReport::ofLockHolder));
    }
  }

  private static IndexStatus status(
      String location, IndexStore index, Optional<RunReport> inProgress) throws IOException {
    Map<String, String> data = index.commitData();
    IndexStats stats = index.stats();
    List<String> roots = IndexMetadata.roots(data);
    List<String> missingRoots = roots.stream().filter(r -> !Files.isDirectory(Path.of(r))).toList();
    String lastRun = data.get(IndexMetadata.LAST_RUN);
    return new IndexStatus(
        location,
        roots,
        missingRoots,
        stats.files(),
        stats.chunks(),
        stats.vectors(),
        stats.chunks() == 0 ? 1.0 : (double) stats.vectors() / stats.chunks(),
        stats.bytesOnDisk(),
        data.get(IndexMetadata.MODEL),
        lastRun == null ? null : RunReport.parse(lastRun),
        inProgress.orElse(null));
  }

  /** A remote store's runs, newest first, as {@link #runs(Path)} gives an embedded index's. */
  public static List<RunReport> runs(RemoteStore remote) throws IOException {
    RunHistory history;
    try (IndexStore index = remote.openForReading()) {
      history = RunHistory.parse(index.commitData().get(IndexMetadata.RUNS));
    }
    List<RunReport> runs = new ArrayList<>();
    long highestId = history.highestId();
    Optional<IndexLock.Holder> writer = remote.liveWriter();
    if (writer.isEmpty()) {
      writer = remote.deadWriter();
    }
    writer.filter(h -> h.runId() > highestId).map(RunReport::ofLockHolder).ifPresent(runs::add);
    runs.addAll(history.reports());
    return runs;
  }

  /** Visits every file of a remote store's index, in path order, streaming; returns how many. */
  public static long files(RemoteStore remote, ManifestVisitor visitor) throws IOException {
    try (IndexStore index = remote.openForReading()) {
      return index.forEachFile(visitor);
    }
  }

  /**
   * The run writing the index in {@code indexDir} now, as {@link #runs} shows it (status running,
   * its pid and start), if any. Reads only the index's lock file, so it is cheap, and an index that
   * has no commit yet may have one.
   */
  public static Optional<RunReport> runInProgress(Path indexDir) {
    return IndexLock.liveHolder(indexDir).map(RunReport::ofLockHolder);
  }

  /**
   * Fails as a second writer would, naming the run (exit 4 in the CLI), when a run is writing the
   * index in {@code indexDir} now: for a command that cannot start before that run has committed,
   * such as a sync of an index whose first run has not recorded its roots yet.
   */
  public static void requireNoRunInProgress(Path indexDir) throws IndexBusyException {
    IndexLock.requireNoLiveRun(indexDir);
  }

  /**
   * The index's runs, newest first: the run writing it now (or one that died holding its lock and
   * is not in the history yet), then the recorded history.
   */
  public static List<RunReport> runs(Path indexDir) throws IOException {
    RunHistory history;
    try (QuarryIndex index = QuarryIndex.openForReading(indexDir)) {
      history = RunHistory.parse(index.commitData().get(IndexMetadata.RUNS));
    }
    List<RunReport> runs = new ArrayList<>();
    long highestId = history.highestId();
    IndexLock.lastHolder(indexDir)
        .filter(h -> h.runId() > highestId)
        .map(RunReport::ofLockHolder)
        .ifPresent(runs::add);
    runs.addAll(history.reports());
    return runs;
  }

  /** The embedding cache these settings name, to inspect and maintain. */
  public static EmbeddingCache cache(CacheSettings settings) {
    return new EmbeddingCache(settings);
  }

  /**
   * A change list read from {@code in}: lines ({@code git diff --name-status} or paths), or
   * NUL-separated.
   */
  public static Iterator<ChangeRequest> changeList(InputStream in, boolean nulSeparated) {
    return ChangeLists.requests(in, nulSeparated ? Framing.NUL : Framing.LINES);
  }

  /** What a sync of {@code changes} would do, one planned action at a time; changes nothing. */
  public static void previewSync(
      IndexOptions options, Iterator<ChangeRequest> changes, Consumer<SyncPreview.Planned> out)
      throws IOException {
    SyncPreview.preview(options, changes, out);
  }

  /** As {@link #previewSync(IndexOptions, Iterator, Consumer)}, for a remote store's index. */
  public static void previewSync(
      RemoteStore remote,
      IndexOptions options,
      Iterator<ChangeRequest> changes,
      Consumer<SyncPreview.Planned> out)
      throws IOException {
    try (IndexStore index = remote.openForReading()) {
      SyncPreview.preview(index, options, changes, out);
    }
  }

  /**
   * What a remote store's index says of itself (its directory is null): the roots of every index in
   * it and the model of its vectors.
   */
  public static IndexDescription describe(RemoteStore remote) throws IOException {
    try (IndexStore index = remote.openForReading()) {
      return IndexDescription.of(null, index.commitData());
    }
  }

  /** Visits every file of the index's last commit, in path order, streaming; returns how many. */
  public static long files(Path indexDir, IndexInventory.Visitor visitor) throws IOException {
    try (QuarryIndex index = QuarryIndex.openForReading(indexDir)) {
      return IndexInventory.forEachFile(index, visitor);
    }
  }

  /** Checks the index: Lucene's own check at {@code depth}, then manifest against chunks. */
  public static CheckReport check(Path indexDir, IndexChecker.Depth depth) throws IOException {
    return IndexChecker.check(indexDir, depth);
  }

  /** Checks a remote store's index: every file's manifest entry against its chunks. */
  public static CheckReport check(RemoteStore remote) throws IOException {
    return IndexChecker.check(remote);
  }

  /** As {@link #repair(Path)}, for a remote store's index. */
  public static long repair(RemoteStore remote) throws IOException {
    return IndexChecker.repair(remote);
  }

  /** Removes the files whose manifest and chunks disagree; the next run indexes them again. */
  public static long repair(Path indexDir) throws IOException {
    return IndexChecker.repair(indexDir);
  }

  /** The embedding model a run uses unless told otherwise. */
  public static final String DEFAULT_MODEL = EmbeddingModels.DEFAULT;

  /** The names of the models Quarry ships, the default first: what {@code --model} accepts. */
  public static List<String> models() {
    return EmbeddingModels.available();
  }

  /**
   * Checks that {@code model} names a model Quarry has.
   *
   * @throws IllegalArgumentException naming the models there are
   */
  public static void requireModel(String model) {
    EmbeddingModels.identityOf(model);
  }

  /** The model name in a {@code ModelIdentity.id()}. */
  public static String modelNameOf(String modelId) {
    int at = modelId.indexOf('@');
    return at < 0 ? modelId : modelId.substring(0, at);
  }

  /**
   * An open index (the embedded one, or a remote store's), its model (may be null) and a searcher
   * over them. Close it when done.
   */
  public record SearchSession(IndexStore store, EmbeddingModel model, Searcher searcher)
      implements Closeable {
    public boolean hasModel() {
      return model != null;
    }

    /** Whether a run has committed to the index (an index with no commit holds nothing). */
    public boolean hasCommits() throws IOException {
      return !IndexMetadata.roots(store.commitData()).isEmpty();
    }

    /**
     * Makes the next searches read the store's last commit: the embedded index's searchers reopen
     * on it; a remote store's searches read its last commit anyway.
     */
    public void refresh() throws IOException {
      if (store instanceof QuarryIndex embedded) {
        embedded.refresh();
      }
    }

    /** The generation of the commit searches read now (see {@link StoreView#generation}). */
    public long generation() throws IOException {
      try (StoreView view = store.view()) {
        return view.generation();
      }
    }

    /**
     * The embedded index searched, for what only it has (its searchers, refreshing in place): the
     * server and the benchmarks, which run on the embedded index.
     *
     * @throws IllegalStateException when the session searches a remote store
     */
    public QuarryIndex index() {
      if (store instanceof QuarryIndex embedded) {
        return embedded;
      }
      throw new IllegalStateException(
          "the session searches " + store.location() + ", not an embedded index");
    }

    @Override
    public void close() throws IOException {
      try {
        if (model != null) {
          model.close();
        }
      } finally {
        store.close();
      }
    }
  }
}
