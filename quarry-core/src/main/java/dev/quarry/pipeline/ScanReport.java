package dev.quarry.pipeline;

/**
 * Something the scan reported (a skip, or a part of the tree it could not read), passed on in order
 * to the books; {@code unreadableUnder} is the root of a part that could not be read (what was
 * indexed there is kept), else null.
 */
record ScanReport(FileOutcome outcome, String unreadableUnder) implements ScanItem, WorkResult {}
