package dev.quarry.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Merges stop at the document cap the heap allows (a merge builds its segment's vector graph on the
 * heap), where Lucene's own policy makes one large segment of the same commits.
 */
class HeapBoundedMergePolicyTest {
  private static final int DOCUMENTS = 6_000;
  private static final int PER_COMMIT = 50;

  @TempDir Path dir;

  @Test
  void mergedSegmentsStayUnderTheDocumentCap() throws Exception {
    HeapBoundedMergePolicy policy =
        new HeapBoundedMergePolicy(1_000 * HeapBoundedMergePolicy.GRAPH_BYTES_PER_DOCUMENT, 0);
    assertThat(policy.maxMergedDocuments()).isEqualTo(1_000);

    List<Integer> segments = segmentSizesAfterIndexing(dir.resolve("capped"), policy);

    assertThat(segments.stream().mapToInt(Integer::intValue).sum()).isEqualTo(DOCUMENTS);
    // Merges happened (120 commits did not stay 120 segments), none past the cap: the byte cap is
    // the mean bytes a document times 1,000, and documents differ a little in size.
    assertThat(segments.size()).isLessThan(DOCUMENTS / PER_COMMIT / 2);
    assertThat(segments).allSatisfy(docs -> assertThat(docs).isLessThanOrEqualTo(1_100));
    assertThat(policy.maxMergedSegmentMB())
        .isLessThan(new TieredMergePolicy().getMaxMergedSegmentMB());
  }

  @Test
  void withoutTheCapTheSameCommitsMergePastIt() throws Exception {
    List<Integer> segments =
        segmentSizesAfterIndexing(dir.resolve("plain"), new TieredMergePolicy());

    assertThat(segments.stream().mapToInt(Integer::intValue).max().orElseThrow())
        .isGreaterThan(1_100);
  }

  @Test
  void aWriterInThisJvmGetsAQuarterOfTheHeapSharedByItsMergeThreads() {
    HeapBoundedMergePolicy policy = HeapBoundedMergePolicy.forThisHeap(2);

    assertThat(policy.maxMergedDocuments())
        .isEqualTo(
            Runtime.getRuntime().maxMemory()
                / 4
                / 2
                / HeapBoundedMergePolicy.GRAPH_BYTES_PER_DOCUMENT);
  }

  /** Indexes documents with vectors in small commits, merging in this thread; segment sizes. */
  private static List<Integer> segmentSizesAfterIndexing(Path path, MergePolicy policy)
      throws Exception {
    Random random = new Random(42);
    try (Directory directory = FSDirectory.open(path)) {
      IndexWriterConfig config = new IndexWriterConfig(new StandardAnalyzer());
      config.setMergePolicy(policy);
      config.setMergeScheduler(new SerialMergeScheduler());
      try (IndexWriter writer = new IndexWriter(directory, config)) {
        for (int i = 0; i < DOCUMENTS; i++) {
          Document document = new Document();
          document.add(
              new TextField(
                  "text", "chunk " + i + " of words " + random.nextInt(), Field.Store.YES));
          float[] vector = new float[8];
          for (int d = 0; d < vector.length; d++) {
            vector[d] = random.nextFloat();
          }
          document.add(new KnnFloatVectorField("vector", vector, VectorSimilarityFunction.COSINE));
          writer.addDocument(document);
          if ((i + 1) % PER_COMMIT == 0) {
            writer.commit();
          }
        }
        writer.commit();
      }
      try (DirectoryReader reader = DirectoryReader.open(directory)) {
        List<Integer> sizes = new ArrayList<>();
        for (LeafReaderContext leaf : reader.leaves()) {
          sizes.add(leaf.reader().maxDoc());
        }
        return sizes;
      }
    }
  }
}
