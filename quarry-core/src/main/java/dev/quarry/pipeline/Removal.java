package dev.quarry.pipeline;

/**
 * A listed file that must not be in the index (gone, ignored, skipped): removed if it is, with
 * {@code ifIndexed} as its outcome, else {@code otherwise} (null: nothing to report).
 */
record Removal(String file, FileOutcome ifIndexed, FileOutcome otherwise) implements ScanItem {}
