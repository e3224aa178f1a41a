/**
 * The file manifest: what a store knows of each indexed file ({@link
 * dev.quarry.manifest.ManifestEntry}) and the compact snapshot of one commit's manifest that change
 * detection compares the tree with ({@link dev.quarry.manifest.ManifestSnapshot}). Store-neutral.
 */
package dev.quarry.manifest;
