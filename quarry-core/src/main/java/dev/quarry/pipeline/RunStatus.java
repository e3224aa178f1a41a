package dev.quarry.pipeline;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a run stands or ended, as {@code quarry runs} shows it. */
public enum RunStatus {
  /** Holding the index's lock now. */
  RUNNING,
  /** Went through the whole tree or change list. */
  COMPLETED,
  /**
   * Stopped before the end: cancelled (Ctrl-C), killed or crashed. What it committed is kept and a
   * new run picks up from there; files it had not reached were neither updated nor deleted.
   */
  INTERRUPTED,
  /** Ended by an error (the index's disk full, an I/O error); the last commit is intact. */
  FAILED;

  /**
   * The status as run reports and the CLI write it, and Jackson reads it: its name in lower case.
   */
  @JsonValue
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
