package dev.quarry;

import dev.quarry.embed.EmbedderSpec;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.embed.remote.RemoteEmbeddingModel;
import dev.quarry.index.QuarryIndex;
import dev.quarry.search.Ranking;
import dev.quarry.search.Searcher;
import dev.quarry.store.IndexBusyException;
import dev.quarry.store.IndexLock;
import dev.quarry.store.IndexMetadata;
import dev.quarry.store.IndexStore;
import dev.quarry.store.RemoteStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Opens an index for search: {@code Quarry.search(dir).embedder(spec).open()}. By default the model
 * of the index's vectors is loaded (semantic and hybrid search need it); {@code withModel(false)}
 * skips it (a second saved on every lexical call).
 */
public final class SearchSessionBuilder {
  private final Path indexDir; // null for a remote store
  private final RemoteStore remote; // null for the embedded index
  private EmbedderSpec embedder = EmbedderSpec.local();
  private Ranking ranking = Ranking.defaults();
  private boolean withModel = true;

  SearchSessionBuilder(Path indexDir) {
    this.indexDir = Objects.requireNonNull(indexDir, "indexDir");
    this.remote = null;
  }

  SearchSessionBuilder(RemoteStore remote) {
    this.indexDir = null;
    this.remote = Objects.requireNonNull(remote, "remote");
  }

  private String location() {
    return remote != null ? remote.location() : indexDir.toString();
  }

  /** Where query vectors come from (default: the in-process model the index names). */
  public SearchSessionBuilder embedder(EmbedderSpec spec) {
    this.embedder = Objects.requireNonNull(spec, "embedder");
    return this;
  }

  /** The ranking knobs (default: {@link Ranking#defaults()}). */
  public SearchSessionBuilder ranking(Ranking knobs) {
    this.ranking = Objects.requireNonNull(knobs, "ranking");
    return this;
  }

  /** Whether to load the model (a semantic or hybrid search needs it; default true). */
  public SearchSessionBuilder withModel(boolean load) {
    this.withModel = load;
    return this;
  }

  /**
   * Opens the index and, if wanted and the index has vectors, its model. A remote model must have
   * the identity the index's vectors were made with (else its query vectors would not compare).
   *
   * @throws IllegalArgumentException when the remote embedder gives another model
   * @throws IndexBusyException when the index's first run is writing it and has committed nothing
   *     yet: nothing is searchable, and the index cannot tell whether it will have vectors
   */
  public Quarry.SearchSession open() throws IOException {
    IndexStore index =
        remote != null ? remote.openForReading() : QuarryIndex.openForReading(indexDir);
    EmbeddingModel model = null;
    try {
      Map<String, String> commitData = index.commitData();
      if (IndexMetadata.roots(commitData).isEmpty()) {
        requireNoFirstRun();
      }
      String modelId = commitData.get(IndexMetadata.MODEL);
      if (withModel && modelId != null) {
        model = openModel(modelId);
      }
      return new Quarry.SearchSession(index, model, new Searcher(index, model, ranking));
    } catch (IOException | RuntimeException e) {
      if (model != null) {
        model.close();
      }
      index.close();
      throw e;
    }
  }

  /** Roots are recorded by a run's first commit: before it, a live run is the first one. */
  private void requireNoFirstRun() throws IndexBusyException {
    Optional<IndexLock.Holder> first;
    try {
      first = remote != null ? remote.liveWriter() : IndexLock.liveHolder(indexDir);
    } catch (IOException e) {
      first = Optional.empty(); // nothing committed and the lock unreadable: say nothing of a run
    }
    if (first.isPresent()) {
      throw new IndexBusyException(
          "the first run of the index at "
              + location()
              + " is in progress ("
              + first.get().describe()
              + "): nothing is searchable yet; search again once it has committed",
          null);
    }
  }

  private EmbeddingModel openModel(String modelId) {
    String name = Quarry.modelNameOf(modelId);
    if (!(embedder instanceof EmbedderSpec.OpenAi spec)) {
      return EmbeddingModels.load(name, Runtime.getRuntime().availableProcessors());
    }
    EmbeddingModel remote = RemoteEmbeddingModel.open(spec, name);
    if (!remote.identity().id().equals(modelId)) {
      String gives = remote.identity().id();
      remote.close();
      throw new IllegalArgumentException(
          "the index at "
              + location()
              + " holds vectors of "
              + modelId
              + ", but "
              + spec.text()
              + " gives "
              + gives);
    }
    return remote;
  }
}
