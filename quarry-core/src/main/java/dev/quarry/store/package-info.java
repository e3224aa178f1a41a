/**
 * The store seam: what the pipeline and the searcher need of wherever the index lives. An {@link
 * dev.quarry.store.IndexStore} writes a file's chunks and manifest entry as one unit, commits with
 * the run's metadata, gives the manifest of its last commit and holds the one-writer lock; a {@link
 * dev.quarry.store.StoreView} answers both legs of a search from one commit. The embedded Lucene
 * index ({@code dev.quarry.index}) is the first implementation; every store passes the same
 * contract test. Depends on no implementation.
 */
package dev.quarry.store;
