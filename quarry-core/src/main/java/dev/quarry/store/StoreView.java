package dev.quarry.store;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One commit of a store, held still for the length of a search: both legs of a hybrid search, the
 * chunks of the hits and the manifest stats that decide staleness all come from the same commit,
 * however many commits land meanwhile. Chunk references ({@link ScoredChunk#ref()}) are valid in
 * this view only. Close it when done (it pins the commit). Thread-confined.
 */
public interface StoreView extends Closeable {

  /** A chunk reference and its score. */
  record ScoredChunk(long ref, double score) {}

  /** The size and modification time the manifest records for a file. */
  record ManifestStat(long size, long mtimeMillis) {}

  /**
   * The commit generation this view reads, a number of 0 or more that changes with every commit, so
   * it names the state of the index an answer comes from (a server keys its cached answers by it):
   * the embedded index's is Lucene's {@code segments_N} and grows; a remote store's may only
   * differ. -1 when the store has no such number (nothing may then be cached by it).
   */
  default long generation() throws IOException {
    return -1;
  }

  /** The metadata of this commit. */
  Map<String, String> commitData() throws IOException;

  /** The {@code n} best chunks by BM25 over text, context and path, best first. */
  List<ScoredChunk> lexical(ChunkQuery query, int n) throws IOException;

  /**
   * The {@code n} chunks nearest to {@code vector} (unit length; dot product), best first, scored
   * exactly (not by the approximate, quantized graph score).
   */
  List<ScoredChunk> nearest(float[] vector, ChunkQuery filter, int n) throws IOException;

  /** A chunk's stored fields. */
  StoredChunk chunk(long ref) throws IOException;

  /** A chunk's language: as {@code chunk(ref).language()}, without reading its text. */
  default String language(long ref) throws IOException {
    return chunk(ref).language();
  }

  /** Receives stored vectors one at a time. */
  @FunctionalInterface
  interface VectorSink {
    void accept(String chunkHash, float[] vector) throws IOException;
  }

  /** Every vector of this commit with its chunk's content hash (a chunk in two files, twice). */
  void forEachVector(VectorSink sink) throws IOException;

  /** What the manifest records of {@code file}, or null when it has no entry. */
  ManifestStat manifestStat(String file) throws IOException;
}
