package dev.quarry.index;

import dev.quarry.chunk.Chunk;
import dev.quarry.embed.EmbeddedChunk;
import dev.quarry.manifest.ManifestEntry;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.BytesRef;

/**
 * How a file becomes Lucene documents ({@link IndexSchema}): one per chunk, then the file's
 * manifest document, added as one block so a commit holds all of them or none.
 */
final class LuceneDocuments {
  private LuceneDocuments() {}

  /**
   * The file's chunks, then its manifest entry, each document made as the writer reaches it: a file
   * of 50 MB has some 50,000 chunks, and their documents made at once took more heap than the whole
   * run has.
   */
  static Iterable<Document> file(ManifestEntry entry, List<EmbeddedChunk> chunks) {
    return () ->
        new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next <= chunks.size();
          }

          @Override
          public Document next() {
            if (next > chunks.size()) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return i < chunks.size() ? chunk(entry, chunks.get(i)) : manifest(entry);
          }
        };
  }

  static Document chunk(ManifestEntry entry, EmbeddedChunk embedded) {
    Chunk chunk = embedded.chunk();
    Document doc = new Document();
    doc.add(new StringField(IndexSchema.TYPE, IndexSchema.TYPE_CHUNK, Field.Store.NO));
    doc.add(new StringField(IndexSchema.FILE, entry.file(), Field.Store.YES));
    doc.add(new StringField(IndexSchema.PATH, entry.path(), Field.Store.YES));
    doc.add(new StoredField(IndexSchema.ROOT, entry.root()));
    doc.add(new StringField(IndexSchema.LANGUAGE, chunk.language(), Field.Store.YES));
    doc.add(new TextField(IndexSchema.TEXT, chunk.text(), Field.Store.YES));
    doc.add(new TextField(IndexSchema.CONTEXT, chunk.context(), Field.Store.YES));
    doc.add(new TextField(IndexSchema.PATH_TEXT, entry.path(), Field.Store.NO));
    doc.add(new StoredField(IndexSchema.ORDINAL, chunk.ordinal()));
    doc.add(new IntPoint(IndexSchema.START_LINE, chunk.startLine()));
    doc.add(new StoredField(IndexSchema.START_LINE, chunk.startLine()));
    doc.add(new StoredField(IndexSchema.END_LINE, chunk.endLine()));
    doc.add(new StoredField(IndexSchema.PAGE, chunk.page()));
    doc.add(new StringField(IndexSchema.CHUNK_HASH, chunk.hash(), Field.Store.YES));
    if (embedded.hasVector()) {
      doc.add(
          new KnnFloatVectorField(
              IndexSchema.VECTOR, embedded.vector(), VectorSimilarityFunction.DOT_PRODUCT));
    }
    return doc;
  }

  static Document manifest(ManifestEntry e) {
    Document doc = new Document();
    doc.add(new StringField(IndexSchema.TYPE, IndexSchema.TYPE_FILE, Field.Store.NO));
    doc.add(new StringField(IndexSchema.FILE, e.file(), Field.Store.YES));
    doc.add(new StringField(IndexSchema.MANIFEST_ID, e.file(), Field.Store.NO));
    doc.add(new StoredField(IndexSchema.ROOT, e.root()));
    doc.add(new StringField(IndexSchema.PATH, e.path(), Field.Store.YES));
    doc.add(new StoredField(IndexSchema.SIZE, e.size()));
    doc.add(new StoredField(IndexSchema.MTIME, e.mtimeMillis()));
    doc.add(new StoredField(IndexSchema.FILE_KEY, e.fileKey()));
    doc.add(new StringField(IndexSchema.CONTENT_HASH, e.contentHash(), Field.Store.YES));
    doc.add(new StoredField(IndexSchema.CHUNK_COUNT, e.chunkCount()));
    doc.add(new StringField(IndexSchema.LANGUAGE, e.language(), Field.Store.YES));
    doc.add(new StoredField(IndexSchema.PIPELINE, e.pipeline()));
    doc.add(new StoredField(IndexSchema.MODEL, e.model()));
    // Columnar copies for loading the whole manifest at the start of a run: iterating doc values
    // is several times faster than decompressing every manifest document's stored fields.
    doc.add(new BinaryDocValuesField(ManifestColumns.FILE, new BytesRef(e.file())));
    doc.add(new SortedDocValuesField(ManifestColumns.ROOT, new BytesRef(e.root())));
    doc.add(new BinaryDocValuesField(ManifestColumns.PATH, new BytesRef(e.path())));
    doc.add(new NumericDocValuesField(ManifestColumns.SIZE, e.size()));
    doc.add(new NumericDocValuesField(ManifestColumns.MTIME, e.mtimeMillis()));
    doc.add(new BinaryDocValuesField(ManifestColumns.FILE_KEY, new BytesRef(e.fileKey())));
    doc.add(new BinaryDocValuesField(ManifestColumns.CONTENT_HASH, new BytesRef(e.contentHash())));
    doc.add(new NumericDocValuesField(ManifestColumns.CHUNK_COUNT, e.chunkCount()));
    doc.add(new SortedDocValuesField(ManifestColumns.LANGUAGE, new BytesRef(e.language())));
    doc.add(new SortedDocValuesField(ManifestColumns.PIPELINE, new BytesRef(e.pipeline())));
    doc.add(new SortedDocValuesField(ManifestColumns.MODEL, new BytesRef(e.model())));
    return doc;
  }
}
