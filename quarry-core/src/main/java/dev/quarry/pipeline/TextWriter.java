package dev.quarry.pipeline;

import dev.quarry.chunk.Chunk;
import dev.quarry.embed.EmbeddedChunk;
import dev.quarry.manifest.ManifestEntry;
import dev.quarry.pipeline.Messages.EmbedMessage.PendingFile;
import dev.quarry.store.IndexStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes what a worker made of a file to the store, from the worker's thread: Lucene's analysis is
 * the costliest part of lexical indexing, and the store takes writes from many threads. A changed
 * file goes in whole at once: final when every vector is known (or none is wanted), else as text
 * first, its manifest entry saying the vectors are owed, so lexical search does not wait for them
 * and a run interrupted before they come computes them next time. Thread-safe.
 */
final class TextWriter {
  private final IndexStore store;
  private final CommitPolicy commits;

  /** Where known vectors come from; null for a lexical-only run. */
  private final VectorLookup vectors;

  TextWriter(IndexStore store, CommitPolicy commits, VectorLookup vectors) {
    this.store = store;
    this.commits = commits;
    this.vectors = vectors;
  }

  /**
   * What a worker wrote for a changed file: either final ({@code pending} null: the chunks have
   * every vector they will get), or text only, with the vectors still owed.
   */
  record Written(ManifestEntry entry, int chunks, int reused, PendingFile pending) {}

  /** Writes what a worker found; {@code isNew}: the file is not in the last commit. */
  Written write(FileWork work, boolean isNew, FileMemory.Lease memory) throws IOException {
    switch (work) {
      case FileWork.Unchanged u -> {
        if (u.restat() != null) {
          store.updateManifest(u.restat());
        }
        return null;
      }
      case FileWork.NotIndexed n -> {
        if (n.staleFile() != null) {
          store.deleteFile(n.staleFile());
        }
        return null;
      }
      case FileWork.Chunked c -> {
        return writeChunked(c, isNew, memory);
      }
    }
  }

  private Written writeChunked(FileWork.Chunked work, boolean isNew, FileMemory.Lease memory)
      throws IOException {
    List<Chunk> chunks = work.chunks();
    float[][] found = new float[chunks.size()][];
    if (vectors == null) {
      writeFile(work.entry(), withVectors(chunks, found), isNew);
      return new Written(work.entry(), chunks.size(), 0, null);
    }
    Map<String, float[]> known = vectors.known(chunks);
    int missing = 0;
    for (int i = 0; i < chunks.size(); i++) {
      found[i] = known.get(chunks.get(i).hash());
      if (found[i] == null) {
        missing++;
      }
    }
    if (missing == 0) {
      writeFile(work.entry(), withVectors(chunks, found), isNew);
      return new Written(work.entry(), chunks.size(), chunks.size(), null);
    }
    writeFile(work.entry().withModel(""), withVectors(chunks, new float[chunks.size()][]), isNew);
    return new Written(
        work.entry(),
        chunks.size(),
        0,
        new PendingFile(work.entry(), chunks, found, missing, work.bytes(), memory));
  }

  /**
   * A file new to the store is added without a replace (each file is written by one worker once; a
   * later rewrite with vectors replaces it).
   */
  private void writeFile(ManifestEntry entry, List<EmbeddedChunk> chunks, boolean isNew)
      throws IOException {
    commits.written(chunks.size());
    store.writeFile(entry, chunks, isNew);
  }

  /** Chunks paired with their vectors ({@code vectors[i]} null: none yet). */
  static List<EmbeddedChunk> withVectors(List<Chunk> chunks, float[][] vectors) {
    List<EmbeddedChunk> out = new ArrayList<>(chunks.size());
    for (int i = 0; i < chunks.size(); i++) {
      out.add(new EmbeddedChunk(chunks.get(i), vectors[i]));
    }
    return out;
  }
}
