/**
 * The peers of the macro benchmarks in {@code bench/*.sh}: small programs that do the same work as
 * Quarry with the bare library underneath (a loop over the model, plain Lucene), run by those
 * scripts in the same run as Quarry so the two are compared on the same machine state. Each has a
 * {@code main}; the scripts run them from {@code quarry-cli/target/lib}.
 */
package dev.quarry.bench.peer;
