package dev.quarry.search;

import dev.quarry.store.StoreView;
import dev.quarry.store.StoreView.ScoredChunk;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reranks a list so that a file's later chunks give way to other files: the n-th chunk of a file
 * (counting from 0, in the list's order) has its score multiplied by {@code decay^n}. Ten chunks of
 * one file tell the reader one thing; the second file usually tells more than the first file's
 * second chunk.
 */
final class SameFileDecay {
  private SameFileDecay() {}

  static List<ScoredChunk> rerank(StoreView view, List<ScoredChunk> ranked, double decay, int limit)
      throws IOException {
    Map<String, Integer> seen = new HashMap<>();
    List<ScoredChunk> decayed = new ArrayList<>(ranked.size());
    for (ScoredChunk chunk : ranked) {
      String file = view.chunk(chunk.ref()).file();
      int before = seen.merge(file, 1, Integer::sum) - 1;
      decayed.add(new ScoredChunk(chunk.ref(), chunk.score() * Math.pow(decay, before)));
    }
    // Stable: equal scores keep the list's order.
    decayed.sort(Comparator.comparingDouble(ScoredChunk::score).reversed());
    return decayed.subList(0, Math.min(limit, decayed.size()));
  }
}
