/**
 * JSON in quarry-core: the one configured Jackson mapper every package uses, for what crosses a
 * boundary as JSON (run reports in the index's commit data, the OpenAI embeddings wire format).
 * Depends on nothing else of Quarry, so every package may use it.
 */
package dev.quarry.json;
