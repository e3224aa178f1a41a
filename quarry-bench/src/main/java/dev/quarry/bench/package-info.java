/**
 * Benchmarks of Quarry itself: query latency over an existing index, indexing and embedding
 * throughput on deterministic inputs, repeated samples per figure, a history of runs and a
 * regression verdict against a saved baseline (a median more than 10% worse, confirmed by a
 * one-sided Mann–Whitney U test). Peers (fd, Lucene's demo, a bare model loop) are compared in
 * the scripts under {@code bench/}, not here.
 *
 * <p>This package sits above every other one: it may use search, index, embed, eval and the
 * pipeline; nothing in the engine depends on it.
 */
package dev.quarry.bench;
