package dev.quarry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.bench.json.BenchJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON written by the bench records is byte for byte what the map-based code wrote before them.
 * The golden files are real output of that code ({@code quarry bench --quick --json
 * --save-baseline}, then {@code --only index,noop --json} against that baseline, in
 * /tmp/bm-golden-old/work): its history, its baseline and both {@code --json} documents.
 */
class BenchJsonGoldenTest {
  private static final String OLD_WORK = "/tmp/bm-golden-old/work";
  private static final RegressionRule RULE = RegressionRule.defaults();

  @TempDir Path dir;

  @Test
  void anExistingHistoryAndBaselineAreReadAndWrittenBackUnchanged() throws IOException {
    Path history = copy("history.jsonl");
    Path baseline = copy("baseline-quick.json");
    BenchHistory old = new BenchHistory(history, baseline);
    List<BenchRun> runs = old.runs();
    assertThat(runs).hasSize(2);
    assertThat(runs.get(1).figures())
        .extracting(Figure::name)
        .containsExactly("index.first_lexical.mb_per_s", "index.noop_ms");
    assertThat(runs.get(1).details().otherProcessesCpuShare()).contains(0.503);
    assertThat(runs.get(1).details().query()).isEmpty();
    assertThat(runs.get(0).details().query().orElseThrow().modes().keySet())
        .containsExactly("lexical", "semantic", "hybrid");

    BenchHistory rewritten =
        new BenchHistory(
            dir.resolve("again/history.jsonl"), dir.resolve("again/baseline-quick.json"));
    for (BenchRun run : runs) {
      rewritten.append(run);
    }
    rewritten.saveBaseline(old.baseline().orElseThrow());
    assertThat(Files.readString(rewritten.historyFile())).isEqualTo(Files.readString(history));
    assertThat(Files.readString(rewritten.baselineFile())).isEqualTo(Files.readString(baseline));
  }

  @Test
  void theJsonReportIsTheOneTheCliPrintedBefore() throws IOException {
    BenchHistory old = new BenchHistory(copy("history.jsonl"), copy("baseline-quick.json"));
    List<BenchRun> runs = old.runs();
    BenchHistory asThen =
        new BenchHistory(
            Path.of(OLD_WORK, "history.jsonl"), Path.of(OLD_WORK, "baseline-quick.json"));

    // First: no baseline yet, saved as the baseline, a quiet enough machine.
    BenchRun first = runs.get(0);
    BenchReport saved =
        BenchReport.of(
            first,
            RULE.judge(first, Optional.empty()),
            Optional.empty(),
            RULE,
            asThen,
            true,
            List.of());
    assertThat(BenchJson.pretty(saved)).isEqualTo(golden("report-first.json").strip());

    // Second: judged against the first, both figures regressed, a busy machine.
    BenchRun second = runs.get(1);
    Optional<BenchRun> baseline = old.baseline();
    BenchReport judged =
        BenchReport.of(
            second,
            RULE.judge(second, baseline),
            baseline,
            RULE,
            asThen,
            false,
            List.of(
                "other processes used 50% of this machine's CPU during this run: its figures are not comparable "
                    + "with a quiet run's"));
    assertThat(BenchJson.pretty(judged)).isEqualTo(golden("report-second.json").strip());
  }

  private Path copy(String name) throws IOException {
    Path target = dir.resolve(name);
    Files.writeString(target, golden(name), StandardCharsets.UTF_8);
    return target;
  }

  private static String golden(String name) throws IOException {
    try (InputStream in = BenchJsonGoldenTest.class.getResourceAsStream("golden/" + name)) {
      assertThat(in).as("test resource golden/%s", name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
