/**
 * The embedded store: one Lucene index per Quarry index holding chunks and the file manifest, so
 * the index and its state are committed together. {@link dev.quarry.index.QuarryIndex} implements
 * the store seam ({@code dev.quarry.store}); {@link dev.quarry.index.LuceneDocuments} is the only
 * class that makes Lucene documents.
 */
package dev.quarry.index;
