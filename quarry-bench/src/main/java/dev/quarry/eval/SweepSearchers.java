package dev.quarry.eval;

import dev.quarry.Quarry;
import dev.quarry.search.Ranking;
import dev.quarry.search.Searcher;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The searchers of a sweep over one session's index: one per ranking, all sharing a model that
 * embeds each query once and a store that retrieves each query's two legs once.
 */
final class SweepSearchers implements AutoCloseable {
  private final LegMemo store;
  private final QueryVectorMemo model;
  private final Map<Ranking, Searcher> searchers = new HashMap<>();

  SweepSearchers(Quarry.SearchSession session) throws IOException {
    this.store = new LegMemo(session.index());
    this.model = new QueryVectorMemo(session.model());
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
