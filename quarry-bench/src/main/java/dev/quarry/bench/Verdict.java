package dev.quarry.bench;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Objects;

/**
 * How a figure compares with the baseline.
 *
 * @param figure the figure's name
 * @param status the outcome
 * @param baselineMedian the baseline's median, NaN without a baseline
 * @param change (current median − baseline median) / baseline median: +0.12 is 12% larger, whether
 *     that is better or worse depends on the figure; NaN without a baseline
 * @param pValue the one-sided Mann–Whitney U p-value of the direction the medians moved (worse or
 *     better); NaN without a baseline
 */
public record Verdict(
    String figure, Status status, double baselineMedian, double change, double pValue) {

  /** The outcomes of a comparison. */
  public enum Status {
    /** Worse by more than the threshold, and the test rejects "no difference". */
    REGRESSION,
    /** Better by more than the threshold, and the test rejects "no difference". */
    IMPROVEMENT,
    /** Within the threshold, or a difference the test cannot tell from noise. */
    UNCHANGED,
    /** No baseline, or one measured with a different suite configuration. */
    NO_BASELINE;

    /** "regression", "improvement", "unchanged", "no-baseline": its JSON form too. */
    @JsonValue
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  public Verdict {
    Objects.requireNonNull(figure, "figure");
    Objects.requireNonNull(status, "status");
  }

  static Verdict noBaseline(String figure) {
    return new Verdict(figure, Status.NO_BASELINE, Double.NaN, Double.NaN, Double.NaN);
  }
}
