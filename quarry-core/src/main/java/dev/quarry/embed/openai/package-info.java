/**
 * The OpenAI embeddings wire format, once, for both ends: the records of {@code POST
 * /v1/embeddings} (request, response, its items), {@code GET /v1/models} (with the extra {@code
 * quarry} identity a Quarry server adds) and errors, and {@link
 * dev.quarry.embed.openai.OpenAiWire}, which reads them strictly from untrusted bytes and writes
 * them. Used by the server ({@code dev.quarry.serve}) and the client ({@code
 * dev.quarry.embed.remote}); depends on nothing else of Quarry.
 */
package dev.quarry.embed.openai;
