package dev.quarry.watch;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * What is wrong with a live index now (a root gone, a full disk, a run that failed), for its status
 * page, and a log line each time that changes: one when a problem appears or becomes another, one
 * when it is over. A failed run is retried every few seconds; the log says so once, not at each
 * retry.
 *
 * <p>Thread-safe; the log is called from the live index's thread.
 */
final class ProblemLog {
  private final Consumer<String> log;
  private String current; // guarded by this

  ProblemLog(Consumer<String> log) {
    this.log = Objects.requireNonNull(log, "log");
  }

  /** The problem a failed run leaves: its error, what is kept, what happens next. */
  static String runFailed(String error) {
    return error
        + (error.contains("keeps its last commit") ? "" : "; the index keeps its last commit")
        + "; it is served as it is, the run retried every few seconds";
  }

  /**
   * Runs are numbered ("run 12 failed writing ..."): a retry failing as the last run did is the
   * same problem, not news for the log.
   */
  private static final Pattern RUN_NUMBER = Pattern.compile("\\brun \\d+\\b");

  private static String withoutRunNumbers(String problem) {
    return problem == null ? null : RUN_NUMBER.matcher(problem).replaceAll("run");
  }

  /** The problem now, or null when there is none. */
  synchronized String current() {
    return current;
  }

  /** Records {@code problem} as the one now; logs it unless it was already the one. */
  synchronized void report(String problem) {
    boolean news = !withoutRunNumbers(problem).equals(withoutRunNumbers(current));
    current = problem;
    if (news) {
      log.accept(problem);
    }
  }

  /** A run succeeded with every root there: whatever was wrong is over. */
  synchronized void clear() {
    if (current != null) {
      log.accept("recovered: the index is up to date again (was: " + current + ")");
      current = null;
    }
  }
}
