package dev.quarry.index;

import dev.quarry.analysis.CodeAnalyzer;

/**
 * Field names of the Lucene index. One index holds two kinds of document: one per chunk, and one
 * manifest entry per file; every document of a file carries {@link #FILE} so one term deletes or
 * replaces the file whole.
 */
public final class IndexSchema {
  private IndexSchema() {}

  /** "chunk" or "file". */
  public static final String TYPE = "type";

  public static final String TYPE_CHUNK = "chunk";
  public static final String TYPE_FILE = "file";

  /** The file's absolute path: the identity of a file across runs. */
  public static final String FILE = "file";

  /** Unique term of a manifest document (same value as {@link #FILE}), to replace it alone. */
  public static final String MANIFEST_ID = "manifest_id";

  /** The file's '/'-separated path relative to its root (filters and display). */
  public static final String PATH = "path";

  /** The root the file was found under. */
  public static final String ROOT = "root";

  public static final String LANGUAGE = "lang";

  /** Chunk text, analyzed with {@link CodeAnalyzer}, stored for snippets. */
  public static final String TEXT = "text";

  /** Heading path of a chunk, analyzed, stored. */
  public static final String CONTEXT = "context";

  /** The relative path, analyzed, so a query for a file or class name finds its chunks. */
  public static final String PATH_TEXT = "path_text";

  public static final String ORDINAL = "ordinal";
  public static final String START_LINE = "start_line";
  public static final String END_LINE = "end_line";
  public static final String PAGE = "page";
  public static final String CHUNK_HASH = "chunk_hash";

  /** The chunk's unit-length embedding (int8-quantized HNSW, dot product). */
  public static final String VECTOR = "vector";

  // Manifest fields.
  public static final String SIZE = "size";
  public static final String MTIME = "mtime";
  public static final String FILE_KEY = "file_key";
  public static final String CONTENT_HASH = "content_hash";
  public static final String CHUNK_COUNT = "chunk_count";
  public static final String PIPELINE = "pipeline";
  public static final String MODEL = "model";
}
