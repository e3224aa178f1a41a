package dev.quarry.eval;

import dev.quarry.store.ChunkQuery;
import dev.quarry.store.SearchableStore;
import dev.quarry.store.StoreView;
import dev.quarry.store.StoredChunk;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A store that answers each retrieval once per query: a sweep searches one query under many fusion
 * rankings, and the two legs it fuses (BM25 and kNN) are the same every time. One view of the index
 * serves the whole sweep (chunk references are only valid within a view); what is remembered is the
 * last query's, so memory stays that of one query.
 */
final class LegMemo implements SearchableStore, AutoCloseable {
  private final StoreView view;
  private final Map<Object, List<StoreView.ScoredChunk>> legs = new HashMap<>();
  private final Map<Long, StoredChunk> chunks = new HashMap<>();
  private ChunkQuery current;

  LegMemo(SearchableStore store) throws IOException {
    this.view = store.view();
  }

  private record Nearest(List<Float> vector, int n) {}

  private record Lexical(int n) {}

  @Override
  public StoreView view() {
    return new StoreView() {
      @Override
      public long generation() throws IOException {
        return view.generation();
      }

      @Override
      public Map<String, String> commitData() throws IOException {
        return view.commitData();
      }

      @Override
      public List<ScoredChunk> lexical(ChunkQuery query, int n) throws IOException {
        forQuery(query);
        List<ScoredChunk> hits = legs.get(new Lexical(n));
        if (hits == null) {
          hits = view.lexical(query, n);
          legs.put(new Lexical(n), hits);
        }
        return hits;
      }

      @Override
      public List<ScoredChunk> nearest(float[] vector, ChunkQuery filter, int n)
          throws IOException {
        forQuery(filter);
        Float[] boxed = new Float[vector.length];
        Arrays.setAll(boxed, i -> vector[i]);
        Nearest key = new Nearest(List.of(boxed), n);
        List<ScoredChunk> hits = legs.get(key);
        if (hits == null) {
          hits = view.nearest(vector, filter, n);
          legs.put(key, hits);
        }
        return hits;
      }

      @Override
      public StoredChunk chunk(long ref) throws IOException {
        StoredChunk chunk = chunks.get(ref);
        if (chunk == null) {
          chunk = view.chunk(ref);
          chunks.put(ref, chunk);
        }
        return chunk;
      }

      @Override
      public void forEachVector(VectorSink sink) throws IOException {
        view.forEachVector(sink);
      }

      @Override
      public ManifestStat manifestStat(String file) throws IOException {
        return view.manifestStat(file);
      }

      @Override
      public void close() {}
    };
  }

  /** A new query forgets the last one's legs and chunks. */
  private void forQuery(ChunkQuery query) {
    if (!query.equals(current)) {
      legs.clear();
      chunks.clear();
      current = query;
    }
  }

  @Override
  public void close() throws IOException {
    view.close();
  }
}
