package dev.quarry.eval;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.quarry.Quarry;
import dev.quarry.search.Ranking;
import dev.quarry.search.Searcher;
import dev.quarry.server.CachingQueryModel;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The searchers of a sweep over one session's index: one per ranking, all sharing a model that
 * embeds each query once and a store that retrieves each query's two legs once.
 */
final class SweepSearchers implements AutoCloseable {
  private final LegMemo store;
  private final CachingQueryModel model;
  private final Map<Ranking, Searcher> searchers = new HashMap<>();

  SweepSearchers(Quarry.SearchSession session) throws IOException {
    this.store = new LegMemo(session.index());
    // Each query is searched under every ranking of the sweep, one query after another.
    this.model =
        new CachingQueryModel(
            session.model(), Caffeine.newBuilder().maximumSize(1_000).<String, float[]>build());
  }

  Searcher with(Ranking ranking) throws IOException {
    Searcher searcher = searchers.get(ranking);
    if (searcher == null) {
      searcher = new Searcher(store, model, ranking);
      searchers.put(ranking, searcher);
    }
    return searcher;
  }

  @Override
  public void close() throws IOException {
    store.close();
  }
}
