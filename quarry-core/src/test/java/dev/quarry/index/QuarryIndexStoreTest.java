package dev.quarry.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.chunk.Chunk;
import dev.quarry.embed.EmbeddedChunk;
import dev.quarry.manifest.ManifestEntry;
import dev.quarry.store.ChunkQuery;
import dev.quarry.store.IndexStore;
import dev.quarry.store.StoreView;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.similarities.Similarity;
import org.junit.jupiter.api.Test;

/** The embedded Lucene index keeps the store contract. */
class QuarryIndexStoreTest extends IndexStoreContract {

  @Override
  protected IndexStore openForWriting(Path location) throws IOException {
    return QuarryIndex.openForWriting(location);
  }

  /**
   * Every search of one commit shares Lucene's searcher (SearcherManager): a query's BM25 knobs
   * must not be set on it, or concurrent searches with other rankings (a server's) would score with
   * each other's knobs.
   */
  @Test
  void aQueryScoresWithItsOwnBm25KnobsAndLeavesTheSharedSearcherAlone() throws IOException {
    try (QuarryIndex index = QuarryIndex.openForWriting(dir.resolve("knobs"))) {
      ManifestEntry entry =
          new ManifestEntry("/t/a.txt", "/t", "a.txt", 10, 1000, "", "h", 2, "text", "p1", "m1");
      index.writeFile(
          entry,
          List.of(chunk(0, "rocket rocket rocket fuel pump valve", "c1"), chunk(1, "rocket", "c2")),
          true);
      index.commit(Map.of());
      IndexSearcher shared = index.acquireSearcher();
      try {
        Similarity before = shared.getSimilarity();
        double flat;
        double steep;
        try (StoreView view = index.view()) {
          flat = view.lexical(query(0.01f), 1).get(0).score();
          steep = view.lexical(query(3.0f), 1).get(0).score();
        }
        assertThat(flat).as("the knobs change the score").isNotEqualTo(steep);
        assertThat(shared.getSimilarity()).as("the shared searcher's similarity").isSameAs(before);
      } finally {
        index.releaseSearcher(shared);
      }
    }
  }

  private static EmbeddedChunk chunk(int ordinal, String text, String hash) {
    return new EmbeddedChunk(
        new Chunk("a.txt", "text", ordinal, ordinal + 1, ordinal + 1, 0, "", text, hash), null);
  }

  private static ChunkQuery query(float k1) {
    return new ChunkQuery(Set.of("rocket"), 1f, 1f, k1, 0.75f, Optional.empty(), Optional.empty());
  }
}
