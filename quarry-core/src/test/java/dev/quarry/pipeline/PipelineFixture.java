package dev.quarry.pipeline;

import dev.quarry.chunk.Chunkers;
import dev.quarry.chunk.ChunkingPolicy;
import dev.quarry.index.QuarryIndex;
import dev.quarry.scan.ScanOptions;
import dev.quarry.search.Ranking;
import dev.quarry.search.SearchHit;
import dev.quarry.search.SearchMode;
import dev.quarry.search.SearchRequest;
import dev.quarry.search.Searcher;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Runs the real pipeline over a test tree into a real on-disk index, recording outcomes. */
final class PipelineFixture {
  final Path root;
  final Path indexDir;
  final RecordingModel model = new RecordingModel();
  ScanOptions scan;
  IndexRun.ContentReader reader;

  /** Roots indexed besides {@link #root}. */
  final List<Path> moreRoots = new ArrayList<>();

  /** Wraps the index's store (fault injection: a full disk, a read-only directory). */
  java.util.function.UnaryOperator<org.apache.lucene.store.Directory> store =
      java.util.function.UnaryOperator.identity();

  /** Wraps the model the runs embed with (fault injection: a model that is slow to return). */
  java.util.function.UnaryOperator<dev.quarry.embed.EmbeddingModel> modelWrapper =
      java.util.function.UnaryOperator.identity();

  /** Also told of every outcome, on the run's thread (fault injection: a failing listener). */
  java.util.function.Consumer<FileOutcome> onOutcome = outcome -> {};

  /** The run in progress, for a test that stops it from inside (a model wrapper, a listener). */
  volatile IndexRun current;

  boolean embed = true;
  int workers = 2;
  int batchSize = 64;

  /** Where the runs' meters go; each fixture has its own so tests can read them. */
  final MeterRegistry registry = new SimpleMeterRegistry();

  PipelineFixture(Path root, Path indexDir) {
    this.root = root;
    this.indexDir = indexDir;
    this.scan = ScanOptions.defaults().withExcludedDirectory(indexDir);
  }

  /** One run's summary and every outcome it reported. */
  record Result(RunSummary summary, List<FileOutcome> outcomes) {
    <T extends FileOutcome> List<String> paths(Class<T> type) {
      return outcomes.stream().filter(type::isInstance).map(FileOutcome::path).sorted().toList();
    }

    <T extends FileOutcome> List<T> of(Class<T> type) {
      return outcomes.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  Result run() throws IOException, InterruptedException {
    model.embedded.clear();
    List<FileOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
    RunListener listener =
        new RunListener() {
          @Override
          public void onOutcome(FileOutcome outcome) {
            outcomes.add(outcome);
            onOutcome.accept(outcome);
          }
        };
    List<Path> roots = new ArrayList<>(List.of(root));
    roots.addAll(moreRoots);
    IndexOptions options =
        IndexOptions.of(roots, indexDir, scan, embed, "all-minilm-l6-v2-q")
            .withThreads(2)
            .withWorkers(workers)
            .withEmbedBatchSize(batchSize)
            .withCommitInterval(Duration.ofMinutes(5));
    dev.quarry.embed.EmbeddingModel embedder = modelWrapper.apply(model);
    try (QuarryIndex index = QuarryIndex.openForWriting(indexDir, "index", store)) {
      var chunker = Chunkers.standard(model.tokenizer(), ChunkingPolicy.forModelWindow(256));
      IndexRun run =
          reader == null
              ? new IndexRun(
                  options,
                  index,
                  embedder,
                  chunker,
                  model.identity().id(),
                  listener,
                  Clock.systemUTC(),
                  registry)
              : new IndexRun(
                  options,
                  index,
                  embedder,
                  chunker,
                  model.identity().id(),
                  listener,
                  Clock.systemUTC(),
                  registry,
                  reader);
      current = run;
      return new Result(run.run(), List.copyOf(outcomes));
    }
  }

  List<SearchHit> search(String query, SearchMode mode, int k) throws IOException {
    return search(SearchRequest.of(query, k, mode));
  }

  List<SearchHit> search(SearchRequest request) throws IOException {
    try (QuarryIndex index = QuarryIndex.openForReading(indexDir)) {
      return new Searcher(
              index, request.mode() == SearchMode.LEXICAL ? null : model, Ranking.defaults())
          .search(request);
    }
  }

  List<String> paths(List<SearchHit> hits) {
    return hits.stream().map(SearchHit::path).toList();
  }
}
