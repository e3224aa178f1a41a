/**
 * Benchmarks of Quarry itself: query latency over an existing index, indexing and embedding
 * throughput on deterministic inputs, repeated samples per figure, a history of runs and a
 * regression verdict against a saved baseline (a median more than 10% worse, confirmed by a
 * one-sided Mann–Whitney U test). Peers (fd, Lucene's demo, a bare model loop) are compared in the
 * scripts under {@code bench/}, not here; their programs are in {@code dev.quarry.bench.peer}. Runs
 * and reports are records, written as JSON by {@code dev.quarry.bench.json.BenchJson}.
 *
 * <p>This module (quarry-bench) sits on top of the library: it may use search, index, embed, the
 * pipeline and eval; nothing in quarry-core depends on it.
 */
package dev.quarry.bench;
