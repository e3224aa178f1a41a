package dev.quarry.check;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link IndexChecker#check} found.
 *
 * @param index the index directory, or a remote store's location
 * @param depth how far Lucene's check went; null for a remote store (its engine checks its files)
 * @param roots the roots the last commit records (empty when the commit cannot be read), to say how
 *     to rebuild a damaged index
 * @param damage what Lucene's own check found wrong with the index's files, one line each; empty
 *     when they are sound. A damaged index is not checked further and cannot be repaired in place.
 * @param files manifest entries: the files, unless some file has more than one
 * @param chunks chunk documents
 * @param vectors chunk documents that have a vector
 * @param problemsByKind problems found, counted by kind; kinds not found are absent
 * @param inconsistentFiles files with at least one problem: what a repair removes
 * @param problems the first {@link IndexChecker#LISTED_PROBLEMS} problems, in file order
 */
public record CheckReport(
    String index,
    IndexChecker.Depth depth,
    List<String> roots,
    List<String> damage,
    long files,
    long chunks,
    long vectors,
    Map<IndexProblem.Kind, Long> problemsByKind,
    long inconsistentFiles,
    List<IndexProblem> problems) {

  public CheckReport {
    roots = List.copyOf(roots);
    damage = List.copyOf(damage);
    EnumMap<IndexProblem.Kind, Long> byKind = new EnumMap<>(IndexProblem.Kind.class);
    byKind.putAll(problemsByKind);
    problemsByKind = Collections.unmodifiableMap(byKind); // in the kinds' order, for stable output
    problems = List.copyOf(problems);
  }

  /** Whether Lucene's check failed: the index must be rebuilt. */
  public boolean damaged() {
    return !damage.isEmpty();
  }

  /** Whether nothing at all is wrong. */
  public boolean consistent() {
    return !damaged() && inconsistentFiles == 0;
  }

  /** All problems found, including those beyond {@link #problems}. */
  public long problemCount() {
    return problemsByKind.values().stream().mapToLong(Long::longValue).sum();
  }
}
