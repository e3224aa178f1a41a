package dev.quarry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.Quarry;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.pipeline.RunListener;
import dev.quarry.scan.ScanOptions;
import dev.quarry.search.Ranking;
import dev.quarry.search.SearchMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark machinery on real, tiny inputs: trees, a lexical index, the suite, the history. */
class BenchSuiteTest {
  @TempDir Path work;

  @Test
  void aSyntheticTreeIsTheSameEveryTime() throws IOException {
    SyntheticTree tree = new SyntheticTree(40, 3_000, 7);
    SyntheticTree.Stats a = tree.generate(work.resolve("a"));
    SyntheticTree.Stats b = tree.generate(work.resolve("b"));
    assertThat(a).isEqualTo(b);
    assertThat(a.files()).isEqualTo(40);
    assertThat(listing(work.resolve("a"))).isEqualTo(listing(work.resolve("b")));
    assertThat(listing(work.resolve("a"))).containsKey(".gitignore");
    assertThat(new SyntheticTree(40, 3_000, 8).generate(work.resolve("c")).bytes())
        .isNotEqualTo(a.bytes());
  }

  @Test
  void queryLatencyOverALexicalIndex() throws Exception {
    SyntheticTree tree = new SyntheticTree(20, 2_000, 3);
    tree.materialize(work);
    Path index = work.resolve("index");
    Quarry.run(
            IndexOptions.of(
                List.of(work.resolve(tree.directoryName())),
                index,
                ScanOptions.defaults(),
                false,
                EmbeddingModels.DEFAULT))
        .index();
    try (Quarry.SearchSession session =
        Quarry.search(index).withModel(true).ranking(Ranking.defaults()).open()) {
      assertThat(session.hasModel()).as("a lexical index loads no model").isFalse();
      QuerySet queries = QuerySet.sampleTerms(session.index(), 12, 5);
      assertThat(QuerySet.sampleTerms(session.index(), 12, 5))
          .as("same seed, same queries")
          .isEqualTo(queries);
      assertThat(queries.queries())
          .hasSize(12)
          .allSatisfy(q -> assertThat(q.split(" ")).hasSizeBetween(1, 3));
      QueryLatencyBenchmark.Result r =
          new QueryLatencyBenchmark(session, Ranking.defaults())
              .run(queries, new QueryLatencyBenchmark.Options(10, 1, 3, 5));
      assertThat(r.modes())
          .extracting(QueryLatencyBenchmark.ModeLatency::mode)
          .containsExactly(SearchMode.LEXICAL);
      QueryLatencyBenchmark.ModeLatency lexical = r.modes().get(0);
      assertThat(lexical.perPass()).hasSize(3).allSatisfy(s -> assertThat(s.count()).isEqualTo(12));
      assertThat(lexical.all().count()).isEqualTo(36);
      assertThat(lexical.all().p50Ms()).isPositive().isLessThanOrEqualTo(lexical.all().p99Ms());
      assertThat(lexical.searchOnly()).isEmpty();
      assertThat(r.embedding()).isEmpty();
    }
  }

  @Test
  void theSuiteTakesOneSamplePerRunAndTheHistoryKeepsThem() throws Exception {
    BenchOptions options =
        BenchOptions.quick(work, 2)
            .withBenchmarks(EnumSet.of(BenchSuite.Benchmark.INDEX, BenchSuite.Benchmark.NOOP))
            .withTree(new SyntheticTree(15, 1_500, 11));
    List<String> log = new ArrayList<>();
    BenchRun run = new BenchSuite(options, RunListener.NONE, log::add).run();
    assertThat(run.suite()).isEqualTo("quick");
    assertThat(run.figures())
        .extracting(Figure::name)
        .containsExactly("index.first_lexical.mb_per_s", "index.noop_ms");
    assertThat(run.figures())
        .allSatisfy(
            f -> assertThat(f.samples()).hasSize(2).allSatisfy(s -> assertThat(s).isPositive()));
    assertThat(run.config()).containsEntry("tree", "tree-15-1500-s11");
    assertThat(run.machine()).containsKeys("cores", "cpu", "java", "os");
    assertThat(log).anyMatch(l -> l.startsWith("index:")).anyMatch(l -> l.startsWith("noop:"));

    BenchHistory history =
        new BenchHistory(work.resolve("h/history.jsonl"), work.resolve("h/baseline-quick.json"));
    assertThat(history.baseline()).isEmpty();
    history.append(run);
    history.append(run);
    history.saveBaseline(run);
    assertThat(history.runs()).hasSize(2);
    BenchRun back = history.baseline().orElseThrow();
    assertThat(back.figures()).isEqualTo(run.figures());
    assertThat(back.config()).isEqualTo(run.config());
    assertThat(back.startedAt()).isEqualTo(run.startedAt());
    assertThat(RegressionRule.defaults().judge(run, Optional.of(back)))
        .extracting(Verdict::status)
        .containsOnly(Verdict.Status.UNCHANGED);
  }

  private static Map<String, Long> listing(Path dir) throws IOException {
    Map<String, Long> files = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(p).toString(), Files.size(p));
      }
    }
    return files;
  }
}
