/**
 * The pipeline: runs that take a tree through scan, change detection, extraction, chunking,
 * embedding and indexing, giving every file a typed, counted {@link
 * dev.quarry.pipeline.FileOutcome}.
 */
package dev.quarry.pipeline;
