package dev.quarry.index;

/**
 * How a writing run reads back the vectors of the index while it merges segments: building a merged
 * segment's graph compares each vector it inserts with hundreds of others, at random places in the
 * segments' vector files.
 */
public enum VectorReads {
  /**
   * A positional read (a system call) per vector compared. Slow per vector, but no mapped page
   * counts in the process's resident memory: right where embedding is what a run waits for (a
   * transformer, tens of chunks a second), so the merges keep up anyway.
   */
  POSITIONAL,
  /**
   * Memory-mapped: a compare is a memory read. Where the index is what a run waits for (a static
   * model embeds thousands of chunks a second), positional reads left the merges' graph building in
   * system calls; the mapped pages count in the RSS while a merge reads them (the kernel can drop
   * them, they are file pages).
   */
  MAPPED
}
