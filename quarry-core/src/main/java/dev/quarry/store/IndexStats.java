package dev.quarry.store;

/**
 * Counts of what an index holds.
 *
 * @param files files in the manifest
 * @param chunks chunk documents
 * @param vectors chunks that have a vector
 * @param bytesOnDisk size of the index directory
 */
public record IndexStats(long files, long chunks, long vectors, long bytesOnDisk) {}
