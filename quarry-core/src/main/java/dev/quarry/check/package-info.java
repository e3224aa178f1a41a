/**
 * Checking and repairing the embedded index ({@code quarry check}): Lucene's own integrity check,
 * then every file's manifest entry against its chunks; a repair removes the files that disagree so
 * the next run indexes them again.
 */
package dev.quarry.check;
