/**
 * Quarry keeps a search index of a file tree in sync with the tree and answers lexical, semantic
 * and hybrid queries over it. {@link dev.quarry.Quarry} is the library's entry point; the
 * sub-packages are the pipeline's stages, in order: scan, extract, chunk, embed, index, search, and
 * the pipeline that runs them.
 */
package dev.quarry;
