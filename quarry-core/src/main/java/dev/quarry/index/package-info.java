/**
 * The index: one Lucene index per Quarry index holding chunks and the file manifest, so the index
 * and its state are committed together. {@link dev.quarry.index.QuarryIndex} is the only class that
 * writes Lucene documents.
 */
package dev.quarry.index;
