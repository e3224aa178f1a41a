package dev.quarry.index;

import java.io.IOException;
import java.util.Map;
import org.apache.lucene.index.FilterMergePolicy;
import org.apache.lucene.index.MergeTrigger;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.TieredMergePolicy;

/**
 * Lucene's tiered merges, with merged segments kept small enough that their vector graph fits the
 * heap.
 *
 * <p>Why: a merge builds the merged segment's HNSW graph on the Java heap, about {@value
 * #GRAPH_BYTES_PER_DOCUMENT} bytes a document (Lucene's neighbour arrays, 32 per node, with their
 * scores; measured by a heap histogram during a merge). Lucene's default cap is 5 GB of segment,
 * over a million chunks: on a 300k-file tree, with the 256 MB heap Quarry runs in, such a merge ran
 * the heap out (full collections back to back, then a native call found an error pending and the
 * process aborted). So the cap is a number of documents, {@code heapForMerges / }{@value
 * #GRAPH_BYTES_PER_DOCUMENT}, given to the tiered policy in bytes at each decision: the documents
 * times the index's mean bytes a document. A large tree ends up with more segments (searched one
 * after another, each fast), never with a merge that cannot finish.
 *
 * <p>Applied to every index, vectors or not: a lexical index's merges need little heap, but its
 * segments, capped the same way, are a few hundred MB each, which costs a search little.
 */
final class HeapBoundedMergePolicy extends FilterMergePolicy {
  /** The heap one merged document's graph node takes, rounded up from about 420 bytes measured. */
  static final long GRAPH_BYTES_PER_DOCUMENT = 512;

  /** Never cap below this: tiny segments would merge again and again. */
  static final double MIN_SEGMENT_MB = 64;

  private static final double LUCENE_DEFAULT_MAX_MB =
      new TieredMergePolicy().getMaxMergedSegmentMB();

  private final TieredMergePolicy tiered;
  private final long maxMergedDocuments;
  private final double minSegmentMB;

  /**
   * @param heapForOneMerge the heap one merge may take for its graph
   * @param minSegmentMB the byte cap's floor ({@link #MIN_SEGMENT_MB}; tests use less)
   */
  HeapBoundedMergePolicy(long heapForOneMerge, double minSegmentMB) {
    this(new TieredMergePolicy(), heapForOneMerge, minSegmentMB);
  }

  private HeapBoundedMergePolicy(
      TieredMergePolicy tiered, long heapForOneMerge, double minSegmentMB) {
    super(tiered);
    this.tiered = tiered;
    this.maxMergedDocuments = Math.max(1, heapForOneMerge / GRAPH_BYTES_PER_DOCUMENT);
    this.minSegmentMB = minSegmentMB;
  }

  /**
   * The policy for a writer in this JVM: a quarter of the heap for merges, shared by the merges
   * that may run at once.
   */
  static HeapBoundedMergePolicy forThisHeap(int concurrentMerges) {
    return new HeapBoundedMergePolicy(
        Runtime.getRuntime().maxMemory() / 4 / Math.max(1, concurrentMerges), MIN_SEGMENT_MB);
  }

  /** The most documents a merge makes one segment of. */
  long maxMergedDocuments() {
    return maxMergedDocuments;
  }

  /** The byte cap the tiered policy works with now. */
  double maxMergedSegmentMB() {
    return tiered.getMaxMergedSegmentMB();
  }

  @Override
  public MergeSpecification findMerges(
      MergeTrigger trigger, SegmentInfos infos, MergeContext context) throws IOException {
    capFor(infos);
    return super.findMerges(trigger, infos, context);
  }

  @Override
  public MergeSpecification findForcedMerges(
      SegmentInfos infos,
      int maxSegmentCount,
      Map<SegmentCommitInfo, Boolean> segmentsToMerge,
      MergeContext context)
      throws IOException {
    capFor(infos);
    return super.findForcedMerges(infos, maxSegmentCount, segmentsToMerge, context);
  }

  @Override
  public MergeSpecification findForcedDeletesMerges(SegmentInfos infos, MergeContext context)
      throws IOException {
    capFor(infos);
    return super.findForcedDeletesMerges(infos, context);
  }

  @Override
  public MergeSpecification findFullFlushMerges(
      MergeTrigger trigger, SegmentInfos infos, MergeContext context) throws IOException {
    capFor(infos);
    return super.findFullFlushMerges(trigger, infos, context);
  }

  /** Turns the document cap into the tiered policy's byte cap, by the index's bytes a document. */
  private synchronized void capFor(SegmentInfos infos) throws IOException {
    long bytes = 0;
    long documents = 0;
    for (SegmentCommitInfo info : infos) {
      bytes += info.sizeInBytes();
      documents += info.info.maxDoc();
    }
    if (documents == 0) {
      return;
    }
    double megabytes = maxMergedDocuments * ((double) bytes / documents) / (1 << 20);
    tiered.setMaxMergedSegmentMB(
        Math.min(LUCENE_DEFAULT_MAX_MB, Math.max(minSegmentMB, megabytes)));
  }
}
