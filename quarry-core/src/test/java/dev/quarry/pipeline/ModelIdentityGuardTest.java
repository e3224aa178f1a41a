package dev.quarry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.chunk.Chunkers;
import dev.quarry.chunk.ChunkingPolicy;
import dev.quarry.index.QuarryIndex;
import dev.quarry.store.IndexMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vectors of two models never mix in one index. */
class ModelIdentityGuardTest {
  @TempDir Path tree;
  @TempDir Path indexDir;

  @Test
  void aRunWithAnotherModelIsRefusedAndTheIndexIsUntouched() throws Exception {
    Files.writeString(tree.resolve("a.txt"), "some words to embed\n");
    PipelineFixture fixture = new PipelineFixture(tree, indexDir);
    fixture.run();
    String recorded;
    try (QuarryIndex index = QuarryIndex.openForReading(indexDir)) {
      recorded = index.commitData().get(IndexMetadata.MODEL);
    }
    assertThat(recorded).isEqualTo(fixture.model.identity().id());

    Files.writeString(tree.resolve("b.txt"), "more words\n");
    IndexOptions options =
        IndexOptions.of(List.of(tree), indexDir, fixture.scan, true, "all-minilm-l6-v2-q");
    try (QuarryIndex index = QuarryIndex.openForWriting(indexDir)) {
      var chunker =
          Chunkers.standard(fixture.model.tokenizer(), ChunkingPolicy.forModelWindow(256));
      IndexRun other =
          new IndexRun(
              options,
              index,
              fixture.model,
              chunker,
              "other-model@1;dim=384",
              RunListener.NONE,
              Clock.systemUTC());
      assertThatThrownBy(other::run)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(recorded)
          .hasMessageContaining("other-model@1")
          .hasMessageContaining("never mix");
    }
    try (QuarryIndex index = QuarryIndex.openForReading(indexDir)) {
      assertThat(index.stats().files()).isEqualTo(1);
      assertThat(index.commitData().get(IndexMetadata.MODEL)).isEqualTo(recorded);
    }
  }
}
