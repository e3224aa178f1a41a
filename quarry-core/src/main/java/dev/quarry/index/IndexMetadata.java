package dev.quarry.index;

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

  public static final String CURRENT_FORMAT = "2";

  /** The {@code ModelIdentity.id()} of every vector in the index; absent while there are none. */
  public static final String MODEL = "quarry.model";

  /** The roots indexed so far, one absolute path a line. */
  public static final String ROOTS = "quarry.roots";

  /** The last run's summary, JSON. */
  public static final String LAST_RUN = "quarry.lastRun";

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
