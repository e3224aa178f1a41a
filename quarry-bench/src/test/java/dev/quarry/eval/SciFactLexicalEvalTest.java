package dev.quarry.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.Quarry;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.pipeline.RunListener;
import dev.quarry.pipeline.RunSummary;
import dev.quarry.scan.ScanOptions;
import dev.quarry.search.SearchMode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BM25 quality on BEIR SciFact (test split), through the real pipeline: must match published BM25.
 */
class SciFactLexicalEvalTest {
  @TempDir Path work;

  @Test
  void lexicalNdcgAt10ReachesPublishedBm25() throws Exception {
    BeirDataset scifact = new BeirDataset(SharedData.dataSet("scifact"));
    BeirEvaluation evaluation = new BeirEvaluation(scifact);
    Path docs = work.resolve("docs");
    IndexOptions options =
        IndexOptions.of(
            List.of(docs),
            work.resolve("index"),
            ScanOptions.defaults(),
            false,
            EmbeddingModels.DEFAULT);
    RunSummary build = evaluation.buildIndex(docs, options, RunListener.NONE);
    assertThat(build.filesIndexed()).isEqualTo(5183);
    assertThat(build.filesFailed()).isZero();
    try (Quarry.SearchSession session =
        Quarry.search(work.resolve("index"))
            .withModel(false)
            .ranking(BeirEvaluation.ranking())
            .open()) {
      EvalResult result = evaluation.evaluate(session, "test", SearchMode.LEXICAL);
      System.out.printf(
          "SciFact test lexical: nDCG@10 %.4f Recall@100 %.4f MRR@10 %.4f%n",
          result.ndcgAt10(), result.recallAt100(), result.mrrAt10());
      assertThat(result.queries()).isEqualTo(300);
      assertThat(result.ndcgAt10()).isGreaterThanOrEqualTo(0.665);
      assertThat(result.recallAt100()).isGreaterThan(0.85);
    }
  }
}
