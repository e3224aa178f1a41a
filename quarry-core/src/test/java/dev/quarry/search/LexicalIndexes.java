package dev.quarry.search;

import dev.quarry.embed.EmbeddingModels;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.pipeline.RunAssembler;
import dev.quarry.scan.ScanOptions;
import java.nio.file.Path;
import java.util.List;

/** Real indexes on disk for search tests: a tree indexed without vectors, as the CLI would. */
final class LexicalIndexes {
  private LexicalIndexes() {}

  /** Indexes {@code tree} (brought up to date on a second call) into its {@code .quarry}. */
  static Path index(Path tree) throws Exception {
    Path index = tree.resolve(".quarry");
    RunAssembler.of(
            IndexOptions.of(
                List.of(tree),
                index,
                ScanOptions.defaults().withExcludedDirectory(index),
                false,
                EmbeddingModels.DEFAULT))
        .index();
    return index;
  }
}
