/**
 * Search: lexical (BM25), semantic (kNN) and hybrid (reciprocal rank fusion) queries with path and
 * language filters, snippets with line numbers, and a staleness flag per hit. Never depends on the
 * pipeline.
 */
package dev.quarry.search;
