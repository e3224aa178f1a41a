package dev.quarry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.chunk.Chunkers;
import dev.quarry.chunk.ChunkingPolicy;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.embed.StaticModelFixture;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An index of minilm-static vectors is an ordinary one: it refuses the default model's vectors. */
class StaticModelIdentityGuardTest {
  @TempDir Path tree;
  @TempDir Path indexDir;

  @Test
  void anIndexOfStaticVectorsRefusesTheDefaultModelForIndexingAndSearching() throws Exception {
    Files.writeString(tree.resolve("a.txt"), "the protein of the cell\n");
    Files.writeString(tree.resolve("b.txt"), "search the index of a java file\n");
    try (EmbeddingModel model = StaticModelFixture.model();
        EmbeddingModel minilm = EmbeddingModels.load(EmbeddingModels.DEFAULT, 1)) {
      index(model);
      try (QuarryIndex index = QuarryIndex.openForReading(indexDir)) {
        assertThat(index.commitData().get(IndexMetadata.MODEL))
            .startsWith("minilm-static@")
            .isEqualTo(model.identity().id());
        List<String> hits =
            new Searcher(index, model, Ranking.defaults())
                .search(SearchRequest.of("protein cell", 2, SearchMode.SEMANTIC)).stream()
                    .map(hit -> hit.path())
                    .toList();
        assertThat(hits.get(0)).endsWith("a.txt");
        assertThatThrownBy(() -> new Searcher(index, minilm, Ranking.defaults()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(model.identity().id())
            .hasMessageContaining(minilm.identity().id());
      }

      Files.writeString(tree.resolve("c.txt"), "more words\n");
      assertThatThrownBy(() -> index(minilm))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("never mix");
      try (QuarryIndex index = QuarryIndex.openForReading(indexDir)) {
        assertThat(index.stats().files()).isEqualTo(2);
      }
    }
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
