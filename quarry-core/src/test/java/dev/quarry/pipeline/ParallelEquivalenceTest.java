package dev.quarry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.index.IndexSchema;
import dev.quarry.index.QuarryIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.Bits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sequential ({@code --workers 1}) and parallel runs leave the same index. */
class ParallelEquivalenceTest {
  private static final long SEED = 20261123L;

  @TempDir Path tree;
  @TempDir Path sequentialIndex;
  @TempDir Path parallelIndex;

  @Test
  void sequentialAndParallelRunsIndexTheSameChunksAndManifest() throws Exception {
    Random random = new Random(SEED);
    String[] words = {
      "river", "stone", "quarry", "index", "search", "vector", "token", "lucene", "chunk", "file"
    };
    for (int f = 0; f < 60; f++) {
      StringBuilder text = new StringBuilder();
      int lines = 5 + random.nextInt(120);
      for (int l = 0; l < lines; l++) {
        for (int w = 0; w < 3 + random.nextInt(12); w++) {
          text.append(words[random.nextInt(words.length)]).append(' ');
        }
        text.append('\n');
      }
      // Some files share content, so vector reuse across files is exercised in both runs.
      String name = "dir" + (f % 7) + "/file" + f + (f % 3 == 0 ? ".md" : ".txt");
      Path file = tree.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, f % 10 == 9 ? "# shared\n\nlicense header text\n" : text.toString());
    }
    PipelineFixture sequential = new PipelineFixture(tree, sequentialIndex);
    sequential.workers = 1;
    sequential.batchSize = 1;
    PipelineFixture parallel = new PipelineFixture(tree, parallelIndex);
    parallel.workers = 4;
    parallel.batchSize = 48;
    RunSummary s = sequential.run().summary();
    RunSummary p = parallel.run().summary();
    assertThat(p.filesIndexed()).as("seed %d", SEED).isEqualTo(s.filesIndexed()).isEqualTo(60);
    assertThat(p.chunksEmbedded()).as("identical chunks embed once").isEqualTo(s.chunksEmbedded());
    assertThat(listing(parallelIndex)).as("seed %d", SEED).isEqualTo(listing(sequentialIndex));
  }

  /** Every live document as a sorted line: manifest entries and chunks with hash and line range. */
  static List<String> listing(Path indexDir) throws Exception {
    List<String> lines = new ArrayList<>();
    try (QuarryIndex index = QuarryIndex.openForReading(indexDir)) {
      IndexSearcher searcher = index.acquireSearcher();
      try {
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
          StoredFields stored = leaf.reader().storedFields();
          Bits live = leaf.reader().getLiveDocs();
          var vectors = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
          var withVector = vectors == null ? null : vectors.iterator();
          for (int d = 0; d < leaf.reader().maxDoc(); d++) {
            if (live != null && !live.get(d)) {
              continue;
            }
            Document doc = stored.document(d);
            boolean hasVector = false;
            if (withVector != null) {
              int vectorDoc = withVector.docID() < d ? withVector.advance(d) : withVector.docID();
              hasVector = vectorDoc == d;
            }
            lines.add(
                doc.get(IndexSchema.CHUNK_HASH) == null
                    ? "file "
                        + doc.get(IndexSchema.PATH)
                        + " "
                        + doc.get(IndexSchema.CONTENT_HASH)
                        + " chunks="
                        + doc.get(IndexSchema.CHUNK_COUNT)
                        + " model="
                        + doc.get(IndexSchema.MODEL)
                    : "chunk "
                        + doc.get(IndexSchema.PATH)
                        + "#"
                        + doc.get(IndexSchema.ORDINAL)
                        + " "
                        + doc.get(IndexSchema.START_LINE)
                        + "-"
                        + doc.get(IndexSchema.END_LINE)
                        + " "
                        + doc.get(IndexSchema.CHUNK_HASH)
                        + " vector="
                        + hasVector);
          }
        }
      } finally {
        index.releaseSearcher(searcher);
      }
    }
    lines.sort(null);
    return lines;
  }
}
