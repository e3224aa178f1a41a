package dev.quarry.changes;

/**
 * Thrown inside the parser when a record cannot be parsed; it never leaves the package, and becomes
 * a {@link BadRecord} whose reason is this exception's message.
 */
final class MalformedRecordException extends Exception {
  MalformedRecordException(String reason) {
    // No stack trace: this is a parse result, thrown once per bad record, never logged.
    super(reason, null, false, false);
  }
}
