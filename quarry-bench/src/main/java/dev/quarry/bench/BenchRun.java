package dev.quarry.bench;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One run of a benchmark suite: what was measured, on what, and the figures. Immutable.
 *
 * @param suite the suite's name ("quick", "full", "index")
 * @param config everything that decides what the figures mean (corpus, tree size, query set, hits
 *     per query); runs are compared only when suite and config are equal. Kept sorted by key (the
 *     order the history writes).
 * @param machine a description of the machine and JVM, for the reader; sorted by key
 * @param figures the measured figures, in the order they were measured
 * @param details further numbers for the reader, never compared
 */
public record BenchRun(
    String suite,
    Instant startedAt,
    Map<String, String> config,
    Map<String, String> machine,
    List<Figure> figures,
    BenchDetails details) {

  public BenchRun {
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(details, "details");
    config = Collections.unmodifiableSortedMap(new TreeMap<>(config));
    machine = Collections.unmodifiableSortedMap(new TreeMap<>(machine));
    figures = List.copyOf(figures);
  }

  public Map<String, Figure> figuresByName() {
    Map<String, Figure> byName = new LinkedHashMap<>();
    for (Figure f : figures) {
      byName.put(f.name(), f);
    }
    return byName;
  }
}
