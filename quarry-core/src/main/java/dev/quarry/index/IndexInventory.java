package dev.quarry.index;

import dev.quarry.manifest.ManifestEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiBits;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.ArrayUtil;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.StringHelper;

/**
 * The files of an index, listed in order of their absolute path, one at a time. The order comes
 * from the terms dictionary of the manifest's id field, which Lucene keeps sorted, and the entries
 * are read from the manifest's doc-values columns a batch at a time: nothing else is held or sorted
 * in memory, so a million-file index lists in the memory of one batch.
 */
public final class IndexInventory {
  private IndexInventory() {}

  /** Receives the entries of a listing. */
  @FunctionalInterface
  public interface Visitor {
    void visit(ManifestEntry entry) throws IOException;
  }

  /**
   * Visits the manifest entry of every file in the index's current commit, ordered by absolute path
   * in Unicode code point order (the byte order of UTF-8: the same on every run and machine).
   *
   * @return the number of entries visited
   */
  public static long forEachFile(QuarryIndex index, Visitor visitor) throws IOException {
    IndexSearcher searcher = index.acquireSearcher();
    try {
      return forEachFile(searcher.getIndexReader(), visitor);
    } finally {
      index.releaseSearcher(searcher);
    }
  }

  /**
   * The files of the index's current commit whose path starts with {@code prefix} (for a directory:
   * its path and a separator), in path order. Reads only the terms under the prefix, so it costs
   * what the directory holds, not the index.
   */
  public static List<String> filesUnder(QuarryIndex index, String prefix) throws IOException {
    IndexSearcher searcher = index.acquireSearcher();
    try {
      return filesUnder(searcher.getIndexReader(), prefix);
    } finally {
      index.releaseSearcher(searcher);
    }
  }

  static List<String> filesUnder(IndexReader reader, String prefix) throws IOException {
    List<String> files = new ArrayList<>();
    Terms ids = MultiTerms.getTerms(reader, IndexSchema.MANIFEST_ID);
    if (ids == null) {
      return files;
    }
    Bits live = MultiBits.getLiveDocs(reader);
    BytesRef start = new BytesRef(prefix);
    TermsEnum terms = ids.iterator();
    if (terms.seekCeil(start) == TermsEnum.SeekStatus.END) {
      return files;
    }
    PostingsEnum postings = null;
    for (BytesRef term = terms.term();
        term != null && StringHelper.startsWith(term, start);
        term = terms.next()) {
      postings = terms.postings(postings, PostingsEnum.NONE);
      for (int doc = postings.nextDoc();
          doc != DocIdSetIterator.NO_MORE_DOCS;
          doc = postings.nextDoc()) {
        if (live == null || live.get(doc)) {
          files.add(term.utf8ToString());
          break;
        }
      }
    }
    return files;
  }

  static long forEachFile(IndexReader reader, Visitor visitor) throws IOException {
    Terms ids = MultiTerms.getTerms(reader, IndexSchema.MANIFEST_ID);
    if (ids == null) {
      return 0;
    }
    Bits live = MultiBits.getLiveDocs(reader);
    ManifestCursor cursor = new ManifestCursor(reader);
    TermsEnum terms = ids.iterator();
    PostingsEnum postings = null;
    int[] batch = new int[ManifestCursor.BATCH];
    int batched = 0;
    long visited = 0;
    while (terms.next() != null) {
      postings = terms.postings(postings, PostingsEnum.NONE);
      for (int doc = postings.nextDoc();
          doc != DocIdSetIterator.NO_MORE_DOCS;
          doc = postings.nextDoc()) {
        if (live == null || live.get(doc)) {
          batch = ArrayUtil.grow(batch, batched + 1);
          batch[batched++] = doc;
        }
      }
      if (batched >= ManifestCursor.BATCH) {
        visited += visit(cursor.entries(batch, batched), visitor);
        batched = 0;
      }
    }
    return visited + visit(cursor.entries(batch, batched), visitor);
  }

  private static long visit(ManifestEntry[] entries, Visitor visitor) throws IOException {
    long visited = 0;
    for (ManifestEntry entry : entries) {
      if (entry
          != null) { // a manifest document without columns has nothing to list; check names it
        visitor.visit(entry);
        visited++;
      }
    }
    return visited;
  }
}
