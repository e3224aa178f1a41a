package dev.quarry.index;

import dev.quarry.manifest.ManifestEntry;
import dev.quarry.manifest.ManifestSnapshot;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.util.Bits;

/**
 * The manifest of one commit of the Lucene index as a {@link ManifestSnapshot}: loaded from the
 * manifest documents' doc-value columns (several times faster than their stored fields), each entry
 * located by segment and document, and read back from the same commit, whose searcher the snapshot
 * holds until it is closed.
 */
final class LuceneManifest implements ManifestSnapshot.EntrySource {
  private final SearcherManager manager;
  private final IndexSearcher searcher;

  private LuceneManifest(SearcherManager manager, IndexSearcher searcher) {
    this.manager = manager;
    this.searcher = searcher;
  }

  /**
   * Reads the manifest of the searcher's commit; the snapshot releases the searcher when closed.
   */
  static ManifestSnapshot load(SearcherManager manager, IndexSearcher searcher) throws IOException {
    ManifestSnapshot.Builder b = new ManifestSnapshot.Builder();
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    for (int leaf = 0; leaf < leaves.size(); leaf++) {
      ManifestColumns columns = ManifestColumns.of(leaves.get(leaf).reader());
      if (columns == null) {
        continue;
      }
      Bits live = leaves.get(leaf).reader().getLiveDocs();
      for (int doc = columns.nextDoc();
          doc != DocIdSetIterator.NO_MORE_DOCS;
          doc = columns.nextDoc()) {
        if (live == null || live.get(doc)) {
          ManifestColumns.Stat stat = columns.stat(doc);
          b.add(
              stat.file(),
              stat.size(),
              stat.mtimeMillis(),
              stat.root(),
              stat.pipeline(),
              stat.model(),
              locator(leaf, doc));
        }
      }
    }
    return b.build(new LuceneManifest(manager, searcher));
  }

  /** Segment ordinal in the high half, document in the low half. */
  private static long locator(int leaf, int doc) {
    return ((long) leaf << 32) | (doc & 0xFFFFFFFFL);
  }

  @Override
  public ManifestEntry entry(long locator) throws IOException {
    LeafReaderContext leaf = searcher.getIndexReader().leaves().get((int) (locator >>> 32));
    ManifestColumns columns = Objects.requireNonNull(ManifestColumns.of(leaf.reader()));
    return columns.entry((int) locator);
  }

  @Override
  public void close() throws IOException {
    manager.release(searcher);
  }
}
