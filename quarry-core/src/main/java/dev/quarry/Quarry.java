package dev.quarry;

import dev.quarry.embed.EmbedderSpec;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.embed.remote.RemoteEmbeddingModel;
import dev.quarry.index.IndexMetadata;
import dev.quarry.index.QuarryIndex;
import dev.quarry.pipeline.ChangeRequest;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.pipeline.IndexRun;
import dev.quarry.pipeline.RunAssembler;
import dev.quarry.pipeline.RunControl;
import dev.quarry.pipeline.RunListener;
import dev.quarry.pipeline.RunSummary;
import dev.quarry.search.Ranking;
import dev.quarry.search.Searcher;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * The library's front door: index a tree, open an index for search. Everything the CLI does goes
 * through here, so embedding Quarry in another program gives the same engine.
 */
public final class Quarry {
  private Quarry() {}

  /**
   * Runs one indexing pass over {@code options.roots()} into {@code options.indexDir()}: loads the
   * model (or only its tokenizer when not embedding), takes the index's write lock, runs, commits.
   */
  public static RunSummary index(IndexOptions options, RunListener listener)
      throws IOException, InterruptedException {
    return index(options, listener, Metrics.globalRegistry);
  }

  /** As {@link #index(IndexOptions, RunListener)}, recording the run's meters into {@code registry}. */
  public static RunSummary index(IndexOptions options, RunListener listener, MeterRegistry registry)
      throws IOException, InterruptedException {
    return index(options, listener, registry, new RunControl());
  }

  /** As above, stoppable through {@code control} (it commits what is done and reports interrupted). */
  public static RunSummary index(IndexOptions options, RunListener listener, MeterRegistry registry,
      RunControl control) throws IOException, InterruptedException {
    return index(options, EmbedderSpec.local(), listener, registry, control);
  }

  /** As above, with vectors from {@code embedder} (a remote endpoint, or the local model). */
  public static RunSummary index(IndexOptions options, EmbedderSpec embedder, RunListener listener,
      MeterRegistry registry, RunControl control) throws IOException, InterruptedException {
    return RunAssembler.of(options).embedder(embedder).listener(listener).metrics(registry).control(control).index();
  }

  /**
   * Applies a change list to the index of {@code options.indexDir()} instead of walking
   * {@code options.roots()} (which must be the index's roots): see {@link IndexRun#sync}.
   */
  public static RunSummary sync(IndexOptions options, Iterator<ChangeRequest> changes, RunListener listener,
      RunControl control) throws IOException, InterruptedException {
    return sync(options, EmbedderSpec.local(), changes, listener, control);
  }

  /** As above, with vectors from {@code embedder}. */
  public static RunSummary sync(IndexOptions options, EmbedderSpec embedder, Iterator<ChangeRequest> changes,
      RunListener listener, RunControl control) throws IOException, InterruptedException {
    return RunAssembler.of(options).embedder(embedder).listener(listener).control(control).sync(changes);
  }

  /** Opens the model of a remote endpoint; the API key comes from {@code $QUARRY_EMBEDDER_API_KEY}. */
  public static RemoteEmbeddingModel openRemote(EmbedderSpec.OpenAi spec, String model) {
    return RemoteEmbeddingModel.open(spec, model);
  }

  /**
   * An index opened for search, with the model its vectors came from (when it has vectors and
   * {@code withModel} is true). Close it when done.
   */
  public static SearchSession openForSearch(Path indexDir, boolean withModel, Ranking ranking)
      throws IOException {
    return openForSearch(indexDir, withModel, ranking, EmbedderSpec.local());
  }

  /**
   * As above, with query vectors from {@code embedder}. A remote model must have the identity the
   * index's vectors were made with (else its query vectors would not compare with them).
   */
  public static SearchSession openForSearch(Path indexDir, boolean withModel, Ranking ranking, EmbedderSpec embedder)
      throws IOException {
    QuarryIndex index = QuarryIndex.openForReading(indexDir);
    EmbeddingModel model = null;
    try {
      String modelId = index.commitData().get(IndexMetadata.MODEL);
      if (withModel && modelId != null) {
        if (embedder instanceof EmbedderSpec.OpenAi spec) {
          model = openRemote(spec, modelNameOf(modelId));
          if (!model.identity().id().equals(modelId)) {
            throw new IllegalArgumentException("the index at " + indexDir + " holds vectors of " + modelId
                + ", but " + spec.text() + " gives " + model.identity().id());
          }
        } else {
          model = EmbeddingModels.load(modelNameOf(modelId), Runtime.getRuntime().availableProcessors());
        }
      }
      return new SearchSession(index, model, new Searcher(index, model, ranking));
    } catch (IOException | RuntimeException e) {
      if (model != null) {
        model.close();
      }
      index.close();
      throw e;
    }
  }

  /** The model name in a {@code ModelIdentity.id()}. */
  public static String modelNameOf(String modelId) {
    int at = modelId.indexOf('@');
    return at < 0 ? modelId : modelId.substring(0, at);
  }

  /** An open index, its model (may be null) and a searcher over them. */
  public record SearchSession(QuarryIndex index, EmbeddingModel model, Searcher searcher)
      implements Closeable {
    public boolean hasModel() {
      return model != null;
    }

    @Override
    public void close() throws IOException {
      try {
        if (model != null) {
          model.close();
        }
      } finally {
        index.close();
      }
    }
  }

}
