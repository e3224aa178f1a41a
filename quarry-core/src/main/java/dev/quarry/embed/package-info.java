/**
 * Embedding: texts to vectors. {@link dev.quarry.embed.EmbeddingModel} is the plug-in point; {@link
 * dev.quarry.embed.EmbeddingModels} loads the in-process ONNX models Quarry ships. A model's {@link
 * dev.quarry.embed.ModelIdentity} is recorded with the index so vectors of different models never
 * mix.
 */
package dev.quarry.embed;
