package dev.quarry.changes;

import java.util.Objects;

/**
 * A record that could not be parsed. Parsing goes on with the next record.
 *
 * @param record the record's 1-based number (see {@link ChangeRecord#record()})
 * @param text the record as read, decoded leniently (invalid UTF-8 replaced by U+FFFD); a record
 *     over the size cap is cut short and ends with "…". In {@link Framing#NUL} a git entry's fields
 *     are joined by TABs. It may hold control characters: escape it before printing to a terminal.
 * @param reason what was wrong and what was expected, for people
 */
record BadRecord(int record, String text, String reason) implements ChangeRecord {
  public BadRecord {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(reason, "reason");
  }
}
