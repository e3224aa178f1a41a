package dev.quarry.bench;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One run of a benchmark suite: what was measured, on what, and the figures. Immutable apart from
 * {@code details}, which is informational (pooled latency percentiles, sizes) and never compared.
 *
 * @param suite the suite's name ("quick", "full", "index")
 * @param config everything that decides what the figures mean (corpus, tree size, query set,
 *     hits per query); runs are compared only when suite and config are equal
 * @param machine a description of the machine and JVM, for the reader
 * @param figures the measured figures, in the order they were measured
 * @param details further numbers for the reader, as JSON-ready maps, lists, strings and numbers
 */
public record BenchRun(
    String suite,
    Instant startedAt,
    Map<String, String> config,
    Map<String, String> machine,
    List<Figure> figures,
    Map<String, Object> details) {

  public BenchRun {
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(startedAt, "startedAt");
    config = Map.copyOf(config);
    machine = Map.copyOf(machine);
    figures = List.copyOf(figures);
    details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  public Map<String, Figure> figuresByName() {
    Map<String, Figure> byName = new LinkedHashMap<>();
    for (Figure f : figures) {
      byName.put(f.name(), f);
    }
    return byName;
  }
}
