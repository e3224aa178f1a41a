package dev.quarry.bench;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code quarry bench --json} prints: the run, the rule, the baseline it was judged against
 * and every figure with its verdict. The JSON form is the components in order; an empty {@code
 * Optional} is written as {@code null} (a key is never left out, so a script can test it).
 *
 * @param baseline the baseline file, when there was one (compared or not)
 * @param figures by name, in the order measured
 * @param regressions the names of the figures that regressed
 * @param historyFile the history file this run was appended to
 * @param baselineSaved the baseline file, when this run was saved as the baseline
 * @param warnings sentences for the reader (a busy machine)
 */
@JsonPropertyOrder({
  "suite",
  "startedAt",
  "config",
  "machine",
  "rule",
  "baseline",
  "figures",
  "regressions",
  "details",
  "historyFile",
  "baselineSaved",
  "warnings"
})
public record BenchReport(
    String suite,
    Instant startedAt,
    Map<String, String> config,
    Map<String, String> machine,
    Rule rule,
    Optional<Baseline> baseline,
    Map<String, FigureReport> figures,
    List<String> regressions,
    BenchDetails details,
    String historyFile,
    Optional<String> baselineSaved,
    List<String> warnings) {

  public BenchReport {
    figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    regressions = List.copyOf(regressions);
    warnings = List.copyOf(warnings);
  }

  /** The regression rule, for the reader. */
  @JsonPropertyOrder({"threshold", "alpha", "test"})
  public record Rule(double threshold, double alpha, String test) {
    static Rule of(RegressionRule rule) {
      return new Rule(
          rule.threshold(),
          rule.alpha(),
          "one-sided Mann-Whitney U; exact permutation distribution up to "
              + MannWhitneyU.EXACT_LIMIT
              + " samples in all, normal approximation above");
    }
  }

  /**
   * @param comparable whether it was measured with this run's suite and configuration (when not, no
   *     figure is compared)
   */
  @JsonPropertyOrder({"file", "startedAt", "comparable"})
  public record Baseline(String file, Instant startedAt, boolean comparable) {}

  /**
   * A figure, its baseline and its verdict.
   *
   * @param baseline the baseline's samples of this figure, when the baseline is comparable and has
   *     it
   * @param change the relative change of the median (see {@link Verdict#change()}), when compared
   * @param pValue the test's p-value, when compared
   */
  @JsonPropertyOrder({
    "unit",
    "better",
    "samples",
    "median",
    "min",
    "max",
    "baseline",
    "change",
    "pValue",
    "verdict"
  })
  public record FigureReport(
      String unit,
      Figure.Better better,
      List<Double> samples,
      double median,
      double min,
      double max,
      Optional<BaselineFigure> baseline,
      Optional<Double> change,
      Optional<Double> pValue,
      Verdict.Status verdict) {
    public FigureReport {
      samples = List.copyOf(samples);
    }
  }

  /** The baseline's samples of a figure and their median. */
  @JsonPropertyOrder({"samples", "median"})
  public record BaselineFigure(List<Double> samples, double median) {
    public BaselineFigure {
      samples = List.copyOf(samples);
    }
  }

  /**
   * The report of {@code run} judged by {@code rule} against {@code baseline}.
   *
   * @param verdicts the rule's verdicts, one per figure of the run in the same order
   * @param baselineSaved whether this run was saved as the baseline
   */
  public static BenchReport of(
      BenchRun run,
      List<Verdict> verdicts,
      Optional<BenchRun> baseline,
      RegressionRule rule,
      BenchHistory history,
      boolean baselineSaved,
      List<String> warnings) {
    if (verdicts.size() != run.figures().size()) {
      throw new IllegalArgumentException(
          verdicts.size() + " verdicts for " + run.figures().size() + " figures");
    }
    boolean comparable = baseline.isPresent() && RegressionRule.comparable(run, baseline.get());
    Map<String, Figure> before = comparable ? baseline.get().figuresByName() : Map.of();
    Map<String, FigureReport> figures = new LinkedHashMap<>();
    for (int i = 0; i < run.figures().size(); i++) {
      Figure f = run.figures().get(i);
      Verdict v = verdicts.get(i);
      Optional<BaselineFigure> old =
          Optional.ofNullable(before.get(f.name()))
              .map(b -> new BaselineFigure(b.samples(), b.median()));
      figures.put(
          f.name(),
          new FigureReport(
              f.unit(),
              f.better(),
              f.samples(),
              f.median(),
              f.min(),
              f.max(),
              old,
              finite(v.change()),
              finite(v.pValue()),
              v.status()));
    }
    List<String> regressions =
        verdicts.stream()
            .filter(v -> v.status() == Verdict.Status.REGRESSION)
            .map(Verdict::figure)
            .toList();
    return new BenchReport(
        run.suite(),
        run.startedAt(),
        run.config(),
        run.machine(),
        Rule.of(rule),
        baseline.map(
            b -> new Baseline(history.baselineFile().toString(), b.startedAt(), comparable)),
        figures,
        regressions,
        run.details(),
        history.historyFile().toString(),
        baselineSaved ? Optional.of(history.baselineFile().toString()) : Optional.empty(),
        warnings);
  }

  private static Optional<Double> finite(double value) {
    return Double.isFinite(value) ? Optional.of(value) : Optional.empty();
  }
}
