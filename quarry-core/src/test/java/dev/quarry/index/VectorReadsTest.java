package dev.quarry.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.chunk.Chunk;
import dev.quarry.embed.EmbeddedChunk;
import dev.quarry.manifest.ManifestEntry;
import dev.quarry.store.ChunkQuery;
import dev.quarry.store.StoreView;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Mapped or positional, a writing run's vector reads give the same index: merges that rebuild the
 * graphs from the segments' vectors, then the same nearest chunks in the same order.
 */
class VectorReadsTest {
  private static final int DIMENSIONS = 16;
  private static final int FILES = 240;

  @TempDir Path dir;

  /** Counts the vector files merges open: proof that a merge read the vectors back. */
  static final class MergeReads extends FilterDirectory {
    final AtomicInteger vectorFilesRead = new AtomicInteger();

    MergeReads(Directory in) {
      super(in);
    }

    @Override
    public IndexInput openInput(String name, IOContext context) throws IOException {
      if (context.context() == IOContext.Context.MERGE && name.endsWith(".veq")) {
        vectorFilesRead.incrementAndGet();
      }
      return super.openInput(name, context);
    }
  }

  private List<String> nearestAfterMerges(VectorReads reads) throws IOException {
    Path indexDir = dir.resolve(reads.name());
    MergeReads[] store = new MergeReads[1];
    try (QuarryIndex index =
        QuarryIndex.openForWriting(indexDir, "index", d -> store[0] = new MergeReads(d), reads)) {
      for (int i = 0; i < FILES; i++) {
        index.writeFile(entry(i), List.of(chunk(i)), true);
        if (i % 8 == 7) {
          index.commit(Map.of()); // a segment each: thirty of them, and the merge policy merges
        }
      }
      index.commit(Map.of());
    } // closing waits for the merges in flight
    assertThat(store[0].vectorFilesRead.get()).as("merges read vectors").isPositive();
    try (QuarryIndex index = QuarryIndex.openForReading(indexDir);
        StoreView view = index.view()) {
      List<String> files = new ArrayList<>();
      for (StoreView.ScoredChunk hit : view.nearest(vector(7), anyChunk(), 10)) {
        files.add(view.chunk(hit.ref()).path() + " " + hit.score());
      }
      return files;
    }
  }

  @ParameterizedTest
  @EnumSource(VectorReads.class)
  void eachWayFindsTheChunkWhoseVectorWasAsked(VectorReads reads) throws IOException {
    assertThat(nearestAfterMerges(reads)).hasSize(10).first().asString().startsWith("f7.txt ");
  }

  @org.junit.jupiter.api.Test
  void bothWaysGiveTheSameNearestChunks() throws IOException {
    assertThat(nearestAfterMerges(VectorReads.MAPPED))
        .isEqualTo(nearestAfterMerges(VectorReads.POSITIONAL));
  }

  private static ChunkQuery anyChunk() {
    return new ChunkQuery(Set.of(), 1f, 1f, 1.2f, 0.75f, Optional.empty(), Optional.empty());
  }

  private static ManifestEntry entry(int i) {
    return new ManifestEntry(
        "/t/f" + i + ".txt", "/t", "f" + i + ".txt", 10, 1000, "", "h" + i, 1, "text", "p", "m");
  }

  private static EmbeddedChunk chunk(int i) {
    return new EmbeddedChunk(
        new Chunk("f" + i + ".txt", "text", 0, 1, 1, 0, "", "chunk number " + i, "c" + i),
        vector(i));
  }

  /** A unit vector of its own for each chunk, the same on every call. */
  private static float[] vector(int i) {
    Random random = new Random(i);
    float[] v = new float[DIMENSIONS];
    double norm = 0;
    for (int d = 0; d < DIMENSIONS; d++) {
      v[d] = (float) random.nextGaussian();
      norm += v[d] * v[d];
    }
    for (int d = 0; d < DIMENSIONS; d++) {
      v[d] /= (float) Math.sqrt(norm);
    }
    return v;
  }
}
