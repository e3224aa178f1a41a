package dev.quarry.changes;

/** One record of a change list, for a sync run: a path to bring up to date, or a bad record. */
public sealed interface ChangeRequest {

  /**
   * Where the record is in the list, for messages: "line 12", or "record 12" in a NUL-separated
   * list.
   */
  String where();

  /**
   * A path whose state on disk decides what happens: a file is added or updated, a missing one is
   * removed from the index. Absolute inside a root, or relative to one.
   */
  record PathChange(String where, String path) implements ChangeRequest {}

  /**
   * A record that could not be parsed; reported as a failure, the rest of the list still applies.
   */
  record Unparseable(String where, String text, String reason) implements ChangeRequest {}
}
