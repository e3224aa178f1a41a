package dev.quarry.index;

import dev.quarry.manifest.ManifestEntry;
import java.io.IOException;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;

/**
 * The manifest's doc-values columns in one segment, iterated together. Only manifest documents have
 * them, so the file column's iterator visits exactly the segment's manifest entries.
 */
final class ManifestColumns {
  static final String FILE = "m_file";
  static final String ROOT = "m_root";
  static final String PATH = "m_path";
  static final String SIZE = "m_size";
  static final String MTIME = "m_mtime";
  static final String FILE_KEY = "m_file_key";
  static final String CONTENT_HASH = "m_content_hash";
  static final String CHUNK_COUNT = "m_chunk_count";
  static final String LANGUAGE = "m_lang";
  static final String PIPELINE = "m_pipeline";
  static final String MODEL = "m_model";

  private final BinaryDocValues file;
  private final SortedDocValues root;
  private final BinaryDocValues path;
  private final NumericDocValues size;
  private final NumericDocValues mtime;
  private final BinaryDocValues fileKey;
  private final BinaryDocValues contentHash;
  private final NumericDocValues chunkCount;
  private final SortedDocValues language;
  private final SortedDocValues pipeline;
  private final SortedDocValues model;

  /**
   * Decoded terms of the low-cardinality columns, by ordinal: a tree has a few roots, languages,
   * pipeline versions and models, so each is decoded once per segment, not once per file.
   */
  private final String[][] decoded = new String[4][];

  private ManifestColumns(LeafReader reader) throws IOException {
    file = reader.getBinaryDocValues(FILE);
    root = reader.getSortedDocValues(ROOT);
    path = reader.getBinaryDocValues(PATH);
    size = reader.getNumericDocValues(SIZE);
    mtime = reader.getNumericDocValues(MTIME);
    fileKey = reader.getBinaryDocValues(FILE_KEY);
    contentHash = reader.getBinaryDocValues(CONTENT_HASH);
    chunkCount = reader.getNumericDocValues(CHUNK_COUNT);
    language = reader.getSortedDocValues(LANGUAGE);
    pipeline = reader.getSortedDocValues(PIPELINE);
    model = reader.getSortedDocValues(MODEL);
  }

  /** The columns of a segment, or null when it holds no manifest entry. */
  static ManifestColumns of(LeafReader reader) throws IOException {
    return reader.getBinaryDocValues(FILE) == null ? null : new ManifestColumns(reader);
  }

  /** The next manifest document of the segment. */
  int nextDoc() throws IOException {
    return file.nextDoc();
  }

  /**
   * Whether {@code doc} has an entry in these columns (a document typed as a manifest entry but
   * written without them does not); positions the file column on {@code doc} for {@link #entry}.
   */
  boolean has(int doc) throws IOException {
    return file.advanceExact(doc);
  }

  /** What change detection needs of an entry: the file, its stat and its versions. */
  record Stat(
      String file, long size, long mtimeMillis, String root, String pipeline, String model) {}

  /** The stat part of {@code doc}'s entry, which {@link #nextDoc} just returned. */
  Stat stat(int doc) throws IOException {
    size.advanceExact(doc);
    mtime.advanceExact(doc);
    return new Stat(
        file.binaryValue().utf8ToString(),
        size.longValue(),
        mtime.longValue(),
        term(0, root, doc),
        term(2, pipeline, doc),
        term(3, model, doc));
  }

  /** The entry of {@code doc}: one that {@link #nextDoc} just returned, or any on fresh columns. */
  ManifestEntry entry(int doc) throws IOException {
    if (file.docID() != doc) {
      file.advanceExact(doc);
    }
    path.advanceExact(doc);
    size.advanceExact(doc);
    mtime.advanceExact(doc);
    fileKey.advanceExact(doc);
    contentHash.advanceExact(doc);
    chunkCount.advanceExact(doc);
    return new ManifestEntry(
        file.binaryValue().utf8ToString(),
        term(0, root, doc),
        path.binaryValue().utf8ToString(),
        size.longValue(),
        mtime.longValue(),
        fileKey.binaryValue().utf8ToString(),
        contentHash.binaryValue().utf8ToString(),
        (int) chunkCount.longValue(),
        term(1, language, doc),
        term(2, pipeline, doc),
        term(3, model, doc));
  }

  private String term(int column, SortedDocValues values, int doc) throws IOException {
    if (!values.advanceExact(doc)) {
      return "";
    }
    int ord = values.ordValue();
    String[] terms = decoded[column];
    if (terms == null) {
      terms = new String[values.getValueCount()];
      decoded[column] = terms;
    }
    if (terms[ord] == null) {
      terms[ord] = values.lookupOrd(ord).utf8ToString();
    }
    return terms[ord];
  }
}
