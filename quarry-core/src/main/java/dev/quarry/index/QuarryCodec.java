package dev.quarry.index;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;

/**
 * Lucene's default codec with int8-quantized HNSW vectors: a quarter of the memory of float vectors
 * for the graph's distance computations, at a recall cost far below what chunking already costs.
 * The codec keeps the default codec's name: the per-field vector format is recorded with each
 * segment, so any reader with the default codec opens the index.
 */
final class QuarryCodec extends FilterCodec {
  private final KnnVectorsFormat vectors =
      new PerFieldKnnVectorsFormat() {
        private final KnnVectorsFormat quantized = new Lucene99HnswScalarQuantizedVectorsFormat();

        @Override
        public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
          return quantized;
        }
      };

  QuarryCodec() {
    super(Codec.getDefault().getName(), Codec.getDefault());
  }

  @Override
  public KnnVectorsFormat knnVectorsFormat() {
    return vectors;
  }
}
