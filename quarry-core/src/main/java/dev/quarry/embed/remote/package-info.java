/**
 * Embeddings computed by a remote, OpenAI-compatible {@code /v1/embeddings} endpoint. {@link
 * dev.quarry.embed.remote.RemoteEmbeddingModel} is an {@link dev.quarry.embed.EmbeddingModel} like
 * the in-process one; the classes beside it are its parts: the HTTP client, the retry policy, the
 * circuit breaker, the adaptive batch size and the validation that keeps a bad endpoint from ever
 * putting a wrong vector into an index.
 */
package dev.quarry.embed.remote;
