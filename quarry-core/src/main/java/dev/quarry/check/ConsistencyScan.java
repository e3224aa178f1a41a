package dev.quarry.check;

import dev.quarry.index.IndexSchema;
import dev.quarry.index.ManifestCursor;
import dev.quarry.manifest.ManifestEntry;
import java.io.IOException;
import java.util.List;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiBits;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.ArrayUtil;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;

/**
 * Checks every file's manifest entry against its chunk documents, one file at a time in path order.
 * A file's documents are found through the terms dictionary of {@link IndexSchema#FILE}, which
 * every document of a file carries. Nothing per file is kept once the file is checked, so memory is
 * two bits per document (which are manifest entries, which have vectors) plus a batch of files and
 * their documents, however many files there are.
 */
final class ConsistencyScan {
  /** Receives problems in file order, the problems of one file one after another. */
  @FunctionalInterface
  interface Sink {
    void problem(IndexProblem problem) throws IOException;
  }

  /** What the scan saw: live manifest entries, chunk documents, and chunks with a vector. */
  record Totals(long files, long chunks, long vectors) {}

  private ConsistencyScan() {}

  /** Scans the reader's commit, passing each problem to {@code sink}. */
  static Totals run(IndexReader reader, Sink sink) throws IOException {
    Terms fileTerms = MultiTerms.getTerms(reader, IndexSchema.FILE);
    if (fileTerms == null) {
      return new Totals(0, 0, 0);
    }
    FixedBitSet manifests = manifestDocs(reader);
    FixedBitSet withVector = docsWithVector(reader);
    Bits live = MultiBits.getLiveDocs(reader);
    ManifestCursor cursor = new ManifestCursor(reader);
    FileConsistency rules = new FileConsistency(reader.storedFields(), withVector);
    FileBatch batch = new FileBatch();
    long files = 0;
    long chunks = 0;
    long vectors = 0;
    TermsEnum terms = fileTerms.iterator();
    PostingsEnum postings = null;
    while (terms.next() != null) {
      postings = terms.postings(postings, PostingsEnum.NONE);
      int manifestCount = 0;
      int manifestDoc = -1;
      int chunksBefore = batch.chunkCount;
      for (int doc = postings.nextDoc();
          doc != DocIdSetIterator.NO_MORE_DOCS;
          doc = postings.nextDoc()) {
        if (live != null && !live.get(doc)) {
          continue;
        }
        if (manifests.get(doc)) {
          manifestDoc = manifestCount++ == 0 ? doc : manifestDoc;
        } else {
          batch.addChunk(doc);
          vectors += withVector.get(doc) ? 1 : 0;
        }
      }
      int chunkCount = batch.chunkCount - chunksBefore;
      if (manifestCount + chunkCount == 0) {
        continue; // a removed file: its documents are deleted, its term stays until a merge
      }
      files += manifestCount;
      chunks += chunkCount;
      batch.endFile(terms.term().utf8ToString(), manifestDoc, manifestCount);
      if (batch.size == ManifestCursor.BATCH) {
        batch.check(cursor, rules, sink);
      }
    }
    batch.check(cursor, rules, sink);
    return new Totals(files, chunks, vectors);
  }

  /**
   * Files whose documents are found, waiting to be checked: manifest entries are read a batch at a
   * time, in document order (see {@link ManifestCursor}).
   */
  private static final class FileBatch {
    final String[] files = new String[ManifestCursor.BATCH];

    /** The first live manifest document of each file, or -1, and how many it has. */
    final int[] manifestDoc = new int[ManifestCursor.BATCH];

    final int[] manifestCount = new int[ManifestCursor.BATCH];

    /** The chunk documents of file i are chunkDocs[chunksFrom[i] .. chunksFrom[i + 1]). */
    final int[] chunksFrom = new int[ManifestCursor.BATCH + 1];

    int[] chunkDocs = new int[ManifestCursor.BATCH * 4];
    int chunkCount;
    int size;

    void addChunk(int doc) {
      chunkDocs = ArrayUtil.grow(chunkDocs, chunkCount + 1);
      chunkDocs[chunkCount++] = doc;
    }

    /** Ends the file whose chunks were added since the last file ended. */
    void endFile(String file, int firstManifestDoc, int manifests) {
      files[size] = file;
      manifestDoc[size] = firstManifestDoc;
      manifestCount[size] = manifests;
      chunksFrom[++size] = chunkCount;
    }

    /** Checks the batch's files, in file order, and empties it. */
    void check(ManifestCursor cursor, FileConsistency rules, Sink sink) throws IOException {
      ManifestEntry[] entries = cursor.entries(manifestDoc, size);
      for (int i = 0; i < size; i++) {
        List<IndexProblem> problems =
            rules.check(
                files[i],
                manifestCount[i],
                entries[i],
                chunkDocs,
                chunksFrom[i],
                chunksFrom[i + 1]);
        for (IndexProblem problem : problems) {
          sink.problem(problem);
        }
      }
      size = 0;
      chunkCount = 0;
    }
  }

  /** The documents typed as manifest entries, numbered across segments. */
  private static FixedBitSet manifestDocs(IndexReader reader) throws IOException {
    FixedBitSet docs = new FixedBitSet(Math.max(1, reader.maxDoc()));
    PostingsEnum postings =
        MultiTerms.getTermPostingsEnum(
            reader, IndexSchema.TYPE, new BytesRef(IndexSchema.TYPE_FILE), PostingsEnum.NONE);
    if (postings != null) {
      for (int doc = postings.nextDoc();
          doc != DocIdSetIterator.NO_MORE_DOCS;
          doc = postings.nextDoc()) {
        docs.set(doc);
      }
    }
    return docs;
  }

  /** The documents that have a vector, numbered across segments. */
  private static FixedBitSet docsWithVector(IndexReader reader) throws IOException {
    FixedBitSet docs = new FixedBitSet(Math.max(1, reader.maxDoc()));
    for (LeafReaderContext leaf : reader.leaves()) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
      if (values == null) {
        continue;
      }
      KnnVectorValues.DocIndexIterator it = values.iterator();
      for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
        docs.set(leaf.docBase + doc);
      }
    }
    return docs;
  }
}
