package dev.quarry.cli;

import dev.quarry.bench.BenchDetails;
import dev.quarry.bench.BenchHistory;
import dev.quarry.bench.BenchRun;
import dev.quarry.bench.Figure;
import dev.quarry.bench.LatencyStats;
import dev.quarry.bench.Verdict;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code quarry bench} for people: the figures against the baseline, then query latency details.
 */
final class BenchReportText {
  private BenchReportText() {}

  static void print(
      PrintWriter out,
      BenchRun run,
      List<Verdict> verdicts,
      Optional<BenchRun> baseline,
      boolean comparable,
      BenchHistory history,
      List<String> regressions,
      boolean saveBaseline) {
    out.printf(
        Locale.ROOT,
        "quarry bench: %s suite, %s runs per figure, machine: %s cores, %s%n",
        run.suite(),
        run.details().runs(),
        run.machine().get("cores"),
        run.machine().get("cpu"));
    out.printf(
        Locale.ROOT,
        "%-30s %-9s %10s %21s %10s %8s %7s  %s%n",
        "figure",
        "unit",
        "median",
        "min - max",
        "baseline",
        "change",
        "p",
        "verdict");
    for (int i = 0; i < run.figures().size(); i++) {
      Figure f = run.figures().get(i);
      Verdict v = verdicts.get(i);
      boolean hasBaseline = v.status() != Verdict.Status.NO_BASELINE;
      out.printf(
          Locale.ROOT,
          "%-30s %-9s %10s %21s %10s %8s %7s  %s%n",
          f.name(),
          f.unit(),
          number(f.median()),
          number(f.min()) + " - " + number(f.max()),
          hasBaseline ? number(v.baselineMedian()) : "-",
          hasBaseline ? String.format(Locale.ROOT, "%+.1f%%", 100 * v.change()) : "-",
          hasBaseline ? String.format(Locale.ROOT, "%.3f", v.pValue()) : "-",
          v.status().label());
    }
    printQueryDetails(out, run);
    BenchCommand.otherShare(run)
        .ifPresent(
            share ->
                out.printf(
                    Locale.ROOT,
                    "machine: other processes used %.0f%% of the CPU during this run (load average %s at start, %s at end)%n",
                    100 * share,
                    run.details().loadAverageAtStart(),
                    run.details().loadAverageAtEnd()));
    out.println("history: appended to " + history.historyFile());
    if (baseline.isEmpty()) {
      out.println(
          "baseline: none yet at "
              + history.baselineFile()
              + (saveBaseline ? "" : " (use --save-baseline)"));
    } else if (!comparable) {
      out.println(
          "baseline: "
              + history.baselineFile()
              + " was measured with another configuration; not compared");
    } else {
      out.println(
          "baseline: run of " + baseline.get().startedAt() + " (" + history.baselineFile() + ")");
    }
    if (saveBaseline) {
      out.println("baseline: this run saved as the baseline");
    }
    if (!regressions.isEmpty()) {
      out.println(
          "REGRESSION (median > 10% worse and Mann-Whitney U p <= 0.05): "
              + String.join(", ", regressions));
    } else if (comparable) {
      out.println(
          "no regression (rule: median > 10% worse and one-sided Mann-Whitney U p <= 0.05)");
    }
  }

  /**
   * The pooled latency percentiles, the search alone and the query embedding, from the run's
   * details.
   */
  private static void printQueryDetails(PrintWriter out, BenchRun run) {
    if (run.details().query().isEmpty()) {
      return;
    }
    BenchDetails.Query query = run.details().query().get();
    out.printf(
        Locale.ROOT,
        "query latency, pooled over %s passes x %s queries (%s), %s hits, one thread, on %,d chunks:%n",
        query.passes(),
        query.queries(),
        query.querySet(),
        query.limit(),
        query.chunks());
    for (Map.Entry<String, BenchDetails.Mode> e : query.modes().entrySet()) {
      out.printf(Locale.ROOT, "  %-9s %s%n", e.getKey(), latencyLine(e.getValue().all()));
      e.getValue()
          .searchOnly()
          .ifPresent(s -> out.printf(Locale.ROOT, "  %-9s %s%n", "  search", latencyLine(s)));
    }
    query
        .embedQuery()
        .ifPresent(
            e -> {
              out.printf(Locale.ROOT, "  %-9s %s%n", "embed", latencyLine(e));
              out.println(
                  "  (semantic and hybrid include embedding the query; 'search' is the same with the vector computed "
                      + "beforehand; 'embed' is the model alone)");
            });
  }

  private static String latencyLine(LatencyStats s) {
    return String.format(
        Locale.ROOT,
        "p50 %8s  p95 %8s  p99 %8s  max %8s ms  %9s q/s",
        number(s.p50Ms()),
        number(s.p95Ms()),
        number(s.p99Ms()),
        number(s.maxMs()),
        String.format(Locale.ROOT, "%,.0f", s.qps()));
  }

  /** Three or four significant digits, never scientific notation. */
  private static String number(double v) {
    double a = Math.abs(v);
    return String.format(
        Locale.ROOT, a >= 1000 ? "%,.0f" : a >= 100 ? "%.1f" : a >= 10 ? "%.2f" : "%.3f", v);
  }
}
