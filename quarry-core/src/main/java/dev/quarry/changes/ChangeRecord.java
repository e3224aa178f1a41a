package dev.quarry.changes;

/**
 * One record of a change list: an entry naming changed paths, or a record that could not be parsed.
 * Both carry the record's 1-based number so a report can point at it; see {@link ChangeListParser}
 * for what the number counts in each {@link Framing}.
 */
sealed interface ChangeRecord permits ChangeEntry, BadRecord {

  /**
   * The record's 1-based number: its line in {@link Framing#LINES}, its entry in {@link
   * Framing#NUL}.
   */
  int record();
}
