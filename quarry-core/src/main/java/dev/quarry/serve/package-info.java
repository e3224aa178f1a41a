/**
 * Serving Quarry's in-process embedding model over HTTP as an OpenAI-compatible endpoint ({@code
 * POST /v1/embeddings}, {@code GET /v1/models}), so other Quarry runs (or any OpenAI client) can
 * share one loaded model. {@link dev.quarry.serve.EmbeddingServer} is the entry point.
 */
package dev.quarry.serve;
