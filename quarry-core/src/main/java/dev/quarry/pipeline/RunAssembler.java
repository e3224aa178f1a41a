package dev.quarry.pipeline;

import dev.quarry.cache.TieredVectorCache;
import dev.quarry.changes.ChangeRequest;
import dev.quarry.chunk.Chunker;
import dev.quarry.chunk.Chunkers;
import dev.quarry.chunk.ChunkingPolicy;
import dev.quarry.chunk.Tokenizer;
import dev.quarry.embed.EmbedderSpec;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.embed.ModelIdentity;
import dev.quarry.embed.remote.RemoteEmbeddingModel;
import dev.quarry.index.QuarryIndex;
import dev.quarry.index.VectorReads;
import dev.quarry.store.IndexStore;
import dev.quarry.store.RemoteStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.io.IOException;
import java.time.Clock;
import java.util.Iterator;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.lucene.store.Directory;

/**
 * Builds an index run from its options and runs it: opens the model (in-process or remote) or, for
 * a lexical-only run, only what the chunker needs of it, the chunker bounded by the model's window,
 * the embedding cache, and the store with its write lock; closes all of them after the run. The one
 * place that knows how a run is put together.
 *
 * <pre>
 *   RunSummary summary = RunAssembler.of(options).embedder(spec).listener(progress).control(stop).index();
 * </pre>
 */
public final class RunAssembler {
  private final IndexOptions options;
  private EmbedderSpec embedder = EmbedderSpec.local();
  private RunListener listener = RunListener.NONE;
  private MeterRegistry registry = Metrics.globalRegistry;
  private RunControl control = new RunControl();
  private Clock clock = Clock.systemUTC();
  private ModelPool pool;
  private ResidentWriter resident;
  private UnaryOperator<Directory> store = UnaryOperator.identity();
  private RunProgress progress; // null: the run is shown nowhere
  private RemoteStore remoteStore; // null: the embedded index in options.indexDir()

  private RunAssembler(IndexOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  public static RunAssembler of(IndexOptions options) {
    return new RunAssembler(options);
  }

  /**
   * Takes the in-process model from {@code models}, loaded once for many runs and left open,
   * instead of loading one for this run and closing it after.
   */
  public RunAssembler sharing(ModelPool models) {
    this.pool = Objects.requireNonNull(models, "models");
    return this;
  }

  /**
   * Writes through {@code writer}'s index (opening it when it is not open), which the run leaves
   * open, instead of opening the index and closing it after: a server's runs keep one writer and
   * its lock, and pay neither the opening nor the wait for merges that closing costs. After the
   * run, the caller tells {@code writer} how it ended.
   */
  public RunAssembler writingTo(ResidentWriter writer) {
    this.resident = Objects.requireNonNull(writer, "writer");
    return this;
  }

  /**
   * Wraps the index's Lucene directory (default: as it is). A seam for fault injection: tests make
   * the store fail as a full disk does, at a moment they choose.
   */
  public RunAssembler store(UnaryOperator<Directory> wrapper) {
    this.store = Objects.requireNonNull(wrapper, "wrapper");
    return this;
  }

  /** Where vectors come from (default: the in-process model named by the options). */
  public RunAssembler embedder(EmbedderSpec spec) {
    this.embedder = Objects.requireNonNull(spec, "embedder");
    return this;
  }

  /** Who hears of each file's outcome, progress and warnings (default: nobody). */
  public RunAssembler listener(RunListener runListener) {
    this.listener = Objects.requireNonNull(runListener, "listener");
    return this;
  }

  /** Where the run's meters go (default: Micrometer's global registry). */
  public RunAssembler metrics(MeterRegistry meterRegistry) {
    this.registry = Objects.requireNonNull(meterRegistry, "registry");
    return this;
  }

  /** Shows the run, while it runs, as {@code runs}' run in progress (default: nowhere). */
  public RunAssembler progress(RunProgress runs) {
    this.progress = Objects.requireNonNull(runs, "progress");
    return this;
  }

  /**
   * Writes into {@code remote} (a SolrCloud collection) instead of the embedded index in {@code
   * options.indexDir()}; the caller keeps it open for the run and closes it after.
   */
  public RunAssembler into(RemoteStore remote) {
    this.remoteStore = Objects.requireNonNull(remote, "remote");
    return this;
  }

  /** How another thread stops the run gracefully (default: it cannot). */
  public RunAssembler control(RunControl runControl) {
    this.control = Objects.requireNonNull(runControl, "control");
    return this;
  }

  /** The run's clock: its start time and commit rhythm (default: the system's). */
  public RunAssembler clock(Clock runClock) {
    this.clock = Objects.requireNonNull(runClock, "clock");
    return this;
  }

  /** Walks the roots and brings the index up to date with them: see {@link IndexRun#run()}. */
  public RunSummary index() throws IOException, InterruptedException {
    return execute("index", IndexRun::run);
  }

  /** Applies a change list instead of walking: see {@link IndexRun#sync}. */
  public RunSummary sync(Iterator<ChangeRequest> changes) throws IOException, InterruptedException {
    return execute("sync", run -> run.sync(changes));
  }

  @FunctionalInterface
  private interface RunBody {
    RunSummary apply(IndexRun run) throws IOException, InterruptedException;
  }

  private RunSummary execute(String kind, RunBody body) throws IOException, InterruptedException {
    if (progress == null) {
      return execute(kind, body, listener);
    }
    RunListener shown = progress.begin(kind, clock.instant(), listener);
    try {
      return execute(kind, body, shown);
    } finally {
      progress.end(shown);
    }
  }

  private RunSummary execute(String kind, RunBody body, RunListener told)
      throws IOException, InterruptedException {
    // A remote model is opened even for a lexical-only run: its identity (and so the chunk size)
    // is known only from the endpoint.
    EmbeddingModel remote =
        embedder instanceof EmbedderSpec.OpenAi spec
            ? RemoteEmbeddingModel.open(spec, options.model())
            : null;
    ModelIdentity identity =
        remote != null ? remote.identity() : EmbeddingModels.identityOf(options.model());
    EmbeddingModel model =
        remote != null
            ? (options.embed() ? remote : closing(remote))
            : options.embed() ? local() : null;
    boolean owned = remote != null || pool == null;
    try {
      if (remoteStore != null) {
        // Opened by each run, even a live index's: a remote store's writer holds no open files
        // worth keeping, and its lock is released between runs like any indexer's.
        try (IndexStore opened = remoteStore.openForWriting(options.roots(), kind, identity)) {
          return run(body, told, opened, model, remote, identity);
        }
      }
      if (resident != null) {
        return run(body, told, resident.open(store), model, remote, identity);
      }
      // A model cheaper than a cache embeds faster than positional reads let merges keep up.
      VectorReads reads =
          model != null && model.cheaperThanACache() ? VectorReads.MAPPED : VectorReads.POSITIONAL;
      try (QuarryIndex index = QuarryIndex.openForWriting(options.indexDir(), kind, store, reads)) {
        return run(body, told, index, model, remote, identity);
      }
    } finally {
      if (model != null && owned) {
        model.close();
      }
    }
  }

  private RunSummary run(
      RunBody body,
      RunListener told,
      IndexStore index,
      EmbeddingModel model,
      EmbeddingModel remote,
      ModelIdentity identity)
      throws IOException, InterruptedException {
    if (index instanceof QuarryIndex embedded) {
      embedded.takeFolderNotices().forEach(told::onWarning);
    }
    // Files of a language with a grammar that did not parse, chunked by lines instead.
    Counter syntaxFallbacks =
        Counter.builder("quarry.chunk.syntax.fallbacks")
            .description("files chunked by lines because their syntax did not parse")
            .register(registry);
    Chunker chunker =
        Chunkers.lazy(
            tokenizer(model, remote),
            ChunkingPolicy.forModelWindow(identity.maxTokens()),
            options.chunker(),
            syntaxFallbacks::increment);
    IndexRun run =
        new IndexRun(options, index, model, chunker, identity.id(), told, clock, registry);
    control.attach(run);
    if (model == null) {
      return body.apply(run);
    }
    if (model.cheaperThanACache()) {
      return body.apply(run.usingCache(TieredVectorCache.none()));
    }
    try (TieredVectorCache cache = options.cache().open(told::onWarning)) {
      return body.apply(run.usingCache(cache));
    }
  }

  /** The in-process model: the pool's, when the run shares one, else one of its own. */
  private EmbeddingModel local() {
    return pool != null
        ? pool.get(options.model(), options.threads())
        : EmbeddingModels.load(options.model(), options.threads());
  }

  /**
   * The model's tokenizer, for sizing chunks. Without a model it is loaded only when a file has
   * changed: a run that finds nothing to do never pays for it. A closed remote model keeps its
   * tokenizer.
   */
  private Supplier<Tokenizer> tokenizer(EmbeddingModel model, EmbeddingModel remote) {
    if (model != null) {
      return model::tokenizer;
    }
    if (remote != null) {
      return remote::tokenizer;
    }
    return memoize(() -> EmbeddingModels.tokenizerOf(options.model()));
  }

  /** Closes {@code model} (a remote one opened only for its identity) and returns null. */
  private static EmbeddingModel closing(EmbeddingModel model) {
    model.close();
    return null;
  }

  private static <T> Supplier<T> memoize(Supplier<T> supplier) {
    return new Supplier<>() {
      private volatile T value;

      @Override
      public T get() {
        T v = value;
        if (v == null) {
          synchronized (this) {
            v = value;
            if (v == null) {
              v = supplier.get();
              value = v;
            }
          }
        }
        return v;
      }
    };
  }
}
