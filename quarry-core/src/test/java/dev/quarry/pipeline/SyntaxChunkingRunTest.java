package dev.quarry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.chunk.ChunkerKind;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.index.QuarryIndex;
import dev.quarry.scan.ScanOptions;
import dev.quarry.search.Ranking;
import dev.quarry.search.SearchHit;
import dev.quarry.search.SearchMode;
import dev.quarry.search.SearchRequest;
import dev.quarry.search.Searcher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chunker=syntax} through a real run (real tokenizer, Lucene index on disk): a class too
 * large for one chunk is cut at its methods, each method's chunk is found by the class name that
 * only its context holds, and a file that does not parse is chunked by lines and counted.
 */
class SyntaxChunkingRunTest {
  @TempDir Path tree;
  @TempDir Path indexDir;

  @Test
  void methodChunksCarryTheirClassAndUnparsableFilesAreCounted() throws Exception {
    String methods =
        IntStream.range(0, 12)
            .mapToObj(
                i ->
                    "  /** Step "
                        + i
                        + " of the nightly run. */\n  long step"
                        + i
                        + "(List<Entry> entries) {\n"
                        + "    long total = 0;\n"
                        + "    for (Entry e : entries) {\n"
                        + "      total += e.amount() * "
                        + (i + 2)
                        + " - e.fee();\n"
                        + "    }\n"
                        + "    return total;\n"
                        + "  }\n")
            .collect(Collectors.joining("\n"));
    Files.writeString(
        tree.resolve("Reconciler.java"),
        "package app;\n\npublic final class LedgerReconciler {\n"
            + methods
            + "\n  long reconcileInvoices(List<Entry> entries) {\n"
            + "    return step0(entries) + step1(entries);\n  }\n}\n");
    Files.writeString(tree.resolve("broken.py"), "def half(:\n    return ) 2\n");
    IndexOptions options =
        IndexOptions.of(
                List.of(tree), indexDir, ScanOptions.defaults(), false, EmbeddingModels.DEFAULT)
            .withWorkers(1)
            .withChunker(ChunkerKind.SYNTAX);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    RunSummary summary = RunAssembler.of(options).metrics(registry).index();

    assertThat(summary.filesIndexed()).isEqualTo(2);
    assertThat(summary.chunksWritten()).isGreaterThan(2);
    assertThat(registry.get("quarry.chunk.syntax.fallbacks").counter().count()).isEqualTo(1.0);
    try (QuarryIndex index = QuarryIndex.openForReading(indexDir)) {
      Searcher searcher = new Searcher(index, null, Ranking.defaults());
      List<SearchHit> hits =
          searcher.search(SearchRequest.of("reconcileInvoices", 10, SearchMode.LEXICAL));
      SearchHit method =
          hits.stream().filter(h -> h.text().contains("long reconcileInvoices")).findFirst().get();
      assertThat(method.context()).isEqualTo("public final class LedgerReconciler");
      assertThat(method.text()).doesNotContain("class LedgerReconciler");
      // Its line range is the method's, not the class's.
      assertThat(method.startLine()).isGreaterThan(3);
      assertThat(method.endLine()).isLessThanOrEqualTo(3 + 12 * 9 + 5);
      // BM25 sees the context: the class name finds chunks whose text does not hold it.
      List<SearchHit> byClass =
          searcher.search(SearchRequest.of("LedgerReconciler", 20, SearchMode.LEXICAL));
      assertThat(byClass).anySatisfy(h -> assertThat(h.text()).doesNotContain("LedgerReconciler"));
      assertThat(
              searcher.search(SearchRequest.of("half", 10, SearchMode.LEXICAL)).stream()
                  .map(SearchHit::path))
          .containsExactly("broken.py");
    }
    // The chunker is part of the pipeline version: the same run again leaves files alone, the
    // other chunker re-chunks them all.
    assertThat(RunAssembler.of(options).index().filesUnchanged()).isEqualTo(2);
    RunSummary byLines = RunAssembler.of(options.withChunker(ChunkerKind.LINES)).index();
    assertThat(byLines.filesIndexed()).isEqualTo(2);
    assertThat(byLines.filesUnchanged()).isZero();
  }
}
