package dev.quarry.store;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keys of the commit user data: index-wide facts that must be durable with the commit they
 * describe.
 */
public final class IndexMetadata {
  private IndexMetadata() {}

  /** Layout version of the index; bumped when a change needs a rebuild. */
  public static final String FORMAT = "quarry.format";

  public static final String CURRENT_FORMAT = "3";

  /** The {@code ModelIdentity.id()} of every vector in the index; absent while there are none. */
  public static final String MODEL = "quarry.model";

  /** The roots indexed so far, one absolute path a line. */
  public static final String ROOTS = "quarry.roots";

  /** The last run's summary, JSON. */
  public static final String LAST_RUN = "quarry.lastRun";

  /**
   * The reports of the last {@link #RUN_HISTORY} runs, newest first, as a JSON array. Kept in the
   * commit's data rather than as documents: a document costs a new segment (a dozen files to write
   * and sync) on every run, even one that changed nothing.
   */
  public static final String RUNS = "quarry.runs";

  /** Runs kept in {@link #RUNS}. */
  public static final int RUN_HISTORY = 100;

  public static List<String> roots(Map<String, String> data) {
    String roots = data.getOrDefault(ROOTS, "");
    return roots.isEmpty() ? List.of() : Arrays.asList(roots.split("\n"));
  }

  /** A copy of {@code data} with the given entries set. */
  public static Map<String, String> with(Map<String, String> data, Map<String, String> changes) {
    Map<String, String> copy = new HashMap<>(data);
    copy.putAll(changes);
    return copy;
  }
}
