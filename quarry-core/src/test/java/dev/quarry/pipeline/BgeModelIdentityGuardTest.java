package dev.quarry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.chunk.Chunkers;
import dev.quarry.chunk.ChunkingPolicy;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.index.QuarryIndex;
import dev.quarry.search.Ranking;
import dev.quarry.search.SearchMode;
import dev.quarry.search.SearchRequest;
import dev.quarry.search.Searcher;
import dev.quarry.store.IndexMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bge-small-en-v1.5-q is an ordinary model identity: an index of its vectors answers semantic
 * queries with it and refuses MiniLM's vectors, and an index of MiniLM's refuses it.
 */
class BgeModelIdentityGuardTest {
  @TempDir Path tree;
  @TempDir Path indexDir;

  private static EmbeddingModel bge;
  private static EmbeddingModel minilm;

  @BeforeAll
  static void load() {
    bge = EmbeddingModels.load(EmbeddingModels.BGE_SMALL, 1);
    minilm = EmbeddingModels.load(EmbeddingModels.DEFAULT, 1);
  }

  @AfterAll
  static void close() {
    bge.close();
    minilm.close();
  }

  @Test
  void anIndexOfBgeVectorsSearchesWithBgeAndRefusesMiniLm() throws Exception {
    writeTree();
    index(bge);
    try (QuarryIndex index = QuarryIndex.openForReading(indexDir)) {
      assertThat(index.commitData().get(IndexMetadata.MODEL))
          .startsWith("bge-small-en-v1.5-q@")
          .contains(";pool=cls;")
          .isEqualTo(bge.identity().id());
      List<String> hits =
          new Searcher(index, bge, Ranking.defaults())
                  .search(
                      SearchRequest.of("which molecule folds inside cells", 3, SearchMode.SEMANTIC))
                  .stream()
                  .map(hit -> hit.path())
                  .toList();
      assertThat(hits.get(0)).endsWith("a.txt");
      assertThatThrownBy(() -> new Searcher(index, minilm, Ranking.defaults()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bge.identity().id())
          .hasMessageContaining(minilm.identity().id());
    }
    Files.writeString(tree.resolve("d.txt"), "more words\n");
    assertThatThrownBy(() -> index(minilm))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("never mix");
  }

  @Test
  void anIndexOfMiniLmVectorsRefusesBgeForSearchingAndIndexing() throws Exception {
    writeTree();
    index(minilm);
    try (QuarryIndex index = QuarryIndex.openForReading(indexDir)) {
      assertThatThrownBy(() -> new Searcher(index, bge, Ranking.defaults()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(minilm.identity().id())
          .hasMessageContaining(bge.identity().id());
    }
    Files.writeString(tree.resolve("d.txt"), "more words\n");
    assertThatThrownBy(() -> index(bge))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("never mix");
    try (QuarryIndex index = QuarryIndex.openForReading(indexDir)) {
      assertThat(index.stats().files()).isEqualTo(3);
    }
  }

  private void writeTree() throws Exception {
    Files.writeString(tree.resolve("a.txt"), "the protein folds into its shape in the cell\n");
    Files.writeString(tree.resolve("b.txt"), "search the index of a java file\n");
    Files.writeString(tree.resolve("c.txt"), "the train leaves the station at noon\n");
  }

  private void index(EmbeddingModel model) throws Exception {
    IndexOptions options =
        IndexOptions.of(
            List.of(tree), indexDir, dev.quarry.scan.ScanOptions.defaults(), true, "any");
    try (QuarryIndex index = QuarryIndex.openForWriting(indexDir)) {
      new IndexRun(
              options,
              index,
              model,
              Chunkers.standard(model.tokenizer(), ChunkingPolicy.forModelWindow(256)),
              model.identity().id(),
              RunListener.NONE,
              Clock.systemUTC())
          .run();
    }
  }
}
