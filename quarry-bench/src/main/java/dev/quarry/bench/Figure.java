package dev.quarry.bench;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One benchmark figure: its repeated samples (one per run of the benchmark), its unit and which
 * direction is better. Immutable.
 *
 * @param name dotted, stable across versions: the key history and baselines are matched by
 * @param unit what a sample counts ("ms", "MB/s", "chunks/s")
 * @param better whether lower or higher values are better
 * @param samples one value per run, in the order they were measured; at least one
 */
public record Figure(String name, String unit, Better better, List<Double> samples) {

  /** Which direction of a figure is an improvement. */
  public enum Better {
    LOWER,
    HIGHER;

    /** "lower" or "higher": its JSON form too. */
    @JsonValue
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #label()}; the error lists the choices. */
    @JsonCreator
    public static Better parse(String text) {
      for (Better b : values()) {
        if (b.label().equalsIgnoreCase(text)) {
          return b;
        }
      }
      throw new IllegalArgumentException(
          "unknown direction '" + text + "'; choose lower or higher");
    }
  }

  public Figure {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(better, "better");
    samples = List.copyOf(samples);
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("figure " + name + " has no samples");
    }
    for (double s : samples) {
      if (!Double.isFinite(s)) {
        throw new IllegalArgumentException("figure " + name + " has a non-finite sample: " + s);
      }
    }
  }

  /**
   * A figure as the history, the baseline and {@code quarry bench --json} write it: in a map keyed
   * by its name, with the median and range for the reader (recomputed from the samples when read).
   */
  @JsonPropertyOrder({"unit", "better", "samples", "median", "min", "max"})
  public record Summary(
      String unit, Better better, List<Double> samples, double median, double min, double max) {
    public Summary {
      samples = List.copyOf(samples); // a history line without samples: Jackson reports the failure
    }

    /** The figure named {@code name} these samples belong to. */
    public Figure toFigure(String name) {
      if (unit == null || better == null) {
        throw new IllegalArgumentException("figure " + name + " has no unit or direction");
      }
      return new Figure(name, unit, better, samples);
    }
  }

  public Summary summary() {
    return new Summary(unit, better, samples, median(), min(), max());
  }

  public double[] values() {
    return samples.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The median (the mean of the two middle values for an even count). */
  public double median() {
    return median(values());
  }

  public double min() {
    return Arrays.stream(values()).min().orElseThrow();
  }

  public double max() {
    return Arrays.stream(values()).max().orElseThrow();
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
