/**
 * What Quarry keeps on disk for its user alone: the index holds the text of every file it read
 * (restricted ones too) and the embedding cache what was embedded, so the folders it creates for
 * them are owner-only. Depends on nothing else of Quarry, so every package may use it.
 */
package dev.quarry.fs;
