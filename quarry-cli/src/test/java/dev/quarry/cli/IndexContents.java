package dev.quarry.cli;

import dev.quarry.index.IndexSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;

/**
 * Everything an index holds of its files but vectors' values, read straight from Lucene: what two
 * indexes of one tree must agree on. Each file maps to its manifest line then one line per chunk,
 * sorted; chunks of a file in the wrong number or twice show as differences.
 */
record IndexContents(
    TreeMap<String, TreeSet<String>> files,
    Set<String> hashesWithVectors,
    Set<String> chunkHashes) {

  static IndexContents read(Path indexDir) throws IOException {
    TreeMap<String, TreeSet<String>> files = new TreeMap<>();
    Set<String> withVectors = new HashSet<>();
    Set<String> hashes = new HashSet<>();
    try (FSDirectory dir = FSDirectory.open(indexDir);
        DirectoryReader reader = DirectoryReader.open(dir)) {
      for (LeafReaderContext leaf : reader.leaves()) {
        Set<Integer> vectorDocs = vectorDocs(leaf);
        StoredFields stored = leaf.reader().storedFields();
        Bits live = leaf.reader().getLiveDocs();
        for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
          if (live != null && !live.get(doc)) {
            continue;
          }
          Document d = stored.document(doc);
          String file = d.get(IndexSchema.FILE);
          String line;
          if (d.get(IndexSchema.CONTENT_HASH) != null) {
            line =
                "manifest "
                    + String.join(
                        " ",
                        d.get(IndexSchema.PATH),
                        d.get(IndexSchema.SIZE),
                        d.get(IndexSchema.MTIME),
                        d.get(IndexSchema.CONTENT_HASH),
                        d.get(IndexSchema.CHUNK_COUNT),
                        d.get(IndexSchema.LANGUAGE),
                        d.get(IndexSchema.PIPELINE),
                        d.get(IndexSchema.MODEL));
          } else {
            String hash = d.get(IndexSchema.CHUNK_HASH);
            boolean vector = vectorDocs.contains(doc);
            hashes.add(hash);
            if (vector) {
              withVectors.add(hash);
            }
            line =
                "chunk "
                    + String.join(
                        " ",
                        d.get(IndexSchema.ORDINAL),
                        hash,
                        d.get(IndexSchema.START_LINE),
                        d.get(IndexSchema.END_LINE),
                        d.get(IndexSchema.PAGE),
                        d.get(IndexSchema.PATH),
                        vector ? "vector" : "text-only");
          }
          if (!files.computeIfAbsent(file, f -> new TreeSet<>()).add(line)) {
            files.get(file).add(line + " (duplicate)");
          }
        }
      }
    }
    return new IndexContents(files, withVectors, hashes);
  }

  private static Set<Integer> vectorDocs(LeafReaderContext leaf) throws IOException {
    Set<Integer> docs = new HashSet<>();
    FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
    if (values != null) {
      KnnVectorValues.DocIndexIterator it = values.iterator();
      for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
        docs.add(d);
      }
    }
    return docs;
  }
}
