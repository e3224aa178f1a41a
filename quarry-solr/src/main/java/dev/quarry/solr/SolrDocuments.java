package dev.quarry.solr;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.quarry.analysis.CodeAnalyzer;
import dev.quarry.chunk.Chunk;
import dev.quarry.embed.EmbeddedChunk;
import dev.quarry.manifest.ManifestEntry;
import dev.quarry.store.StoredChunk;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;

/**
 * How a file becomes Solr documents, and back (see the configset's schema.xml).
 *
 * <p>Ids: every document of a file starts with the file's key and {@code !}, so SolrCloud's
 * compositeId router puts a file's chunks and manifest entry on one shard. A chunk's id carries the
 * token of the store that wrote it ({@code KEY!TOKEN.ORDINAL}): a new version of a file is written
 * beside the old one, its manifest entry then switches {@code fver} to it, and only then are the
 * old chunks deleted, so a search (which keeps only chunks whose {@code fver} a manifest entry
 * names) sees the old version whole or the new one whole, whenever a commit lands.
 *
 * <p>Text fields are pre-analyzed with Quarry's {@link CodeAnalyzer}: Solr indexes exactly the
 * terms and positions of the embedded index, so BM25 scores alike.
 */
final class SolrDocuments {
  private SolrDocuments() {}

  static final String KIND_CHUNK = "chunk";
  static final String KIND_FILE = "file";
  static final String KIND_META = "meta";
  static final String KIND_LOCK = "lock";
  static final String KIND_INFO = "info";

  /** Prefix of the ids of Quarry's own documents (meta, lock, info): no file id starts so. */
  static final String OWN = "quarry!";

  static final String INFO_ID = OWN + "info";

  /** The stored fields a hit needs (not the vector: 384 floats a hit for nothing). */
  static final String CHUNK_FIELDS =
      "id,file,path,lang,start_line,end_line,page,context_stored,text_stored";

  private static final Analyzer ANALYZER = new CodeAnalyzer();
  private static final JsonFactory JSON = new JsonFactory();

  /** A file's key in ids: its id with {@code !} (the router's separator) and {@code %} escaped. */
  static String fileKey(String file) {
    return file.replace("%", "%25").replace("!", "%21");
  }

  static String manifestId(String file) {
    return fileKey(file) + "!m";
  }

  static String chunkId(String file, String token, int ordinal) {
    return fileKey(file) + "!" + token + "." + ordinal;
  }

  /** The version of a file that chunks written by the store with {@code token} make. */
  static String fileVersion(String file, String token) {
    return fileKey(file) + "@" + token;
  }

  static SolrInputDocument chunk(ManifestEntry entry, EmbeddedChunk embedded, String token) {
    Chunk chunk = embedded.chunk();
    SolrInputDocument doc = new SolrInputDocument();
    doc.setField("id", chunkId(entry.file(), token, chunk.ordinal()));
    doc.setField("kind", KIND_CHUNK);
    doc.setField("fver", fileVersion(entry.file(), token));
    doc.setField("file", entry.file());
    doc.setField("root", entry.root());
    doc.setField("path", entry.path());
    doc.setField("lang", chunk.language());
    doc.setField("text_stored", chunk.text());
    doc.setField("context_stored", chunk.context());
    setTokens(doc, "text", chunk.text());
    setTokens(doc, "context", chunk.context());
    setTokens(doc, "path_text", entry.path());
    doc.setField("ordinal", chunk.ordinal());
    doc.setField("start_line", chunk.startLine());
    doc.setField("end_line", chunk.endLine());
    doc.setField("page", chunk.page());
    doc.setField("hash", chunk.hash());
    doc.setField("has_vector", embedded.hasVector());
    if (embedded.hasVector()) {
      doc.setField("vector", floats(embedded.vector()));
    }
    return doc;
  }

  static SolrInputDocument manifest(ManifestEntry e, String fileVersion) {
    SolrInputDocument doc = new SolrInputDocument();
    doc.setField("id", manifestId(e.file()));
    doc.setField("kind", KIND_FILE);
    doc.setField("fver", fileVersion);
    doc.setField("file", e.file());
    doc.setField("root", e.root());
    doc.setField("path", e.path());
    doc.setField("lang", e.language());
    doc.setField("size", e.size());
    doc.setField("mtime", e.mtimeMillis());
    doc.setField("file_key", e.fileKey());
    doc.setField("content_hash", e.contentHash());
    doc.setField("chunk_count", e.chunkCount());
    doc.setField("pipeline", e.pipeline());
    doc.setField("model", e.model());
    return doc;
  }

  static ManifestEntry manifestEntry(SolrDocument doc) {
    return new ManifestEntry(
        string(doc, "file"),
        string(doc, "root"),
        string(doc, "path"),
        number(doc, "size").longValue(),
        number(doc, "mtime").longValue(),
        string(doc, "file_key"),
        string(doc, "content_hash"),
        number(doc, "chunk_count").intValue(),
        string(doc, "lang"),
        string(doc, "pipeline"),
        string(doc, "model"));
  }

  static StoredChunk storedChunk(SolrDocument doc) {
    return new StoredChunk(
        string(doc, "file"),
        string(doc, "path"),
        string(doc, "lang"),
        number(doc, "start_line").intValue(),
        number(doc, "end_line").intValue(),
        number(doc, "page").intValue(),
        string(doc, "context_stored"),
        string(doc, "text_stored"));
  }

  static String string(SolrDocument doc, String field) {
    Object value = doc.getFirstValue(field);
    return value == null ? "" : value.toString();
  }

  static Number number(SolrDocument doc, String field) {
    Object value = doc.getFirstValue(field);
    return value instanceof Number n ? n : 0;
  }

  static float[] vector(SolrDocument doc) {
    java.util.Collection<Object> values = doc.getFieldValues("vector");
    if (values == null || values.isEmpty()) {
      return null;
    }
    float[] vector = new float[values.size()];
    int i = 0;
    for (Object v : values) {
      vector[i++] = ((Number) v).floatValue();
    }
    return vector;
  }

  static List<Float> floats(float[] vector) {
    List<Float> list = new ArrayList<>(vector.length);
    for (float f : vector) {
      list.add(f);
    }
    return list;
  }

  /**
   * Sets a pre-analyzed field to the tokens Quarry's analyzer makes of {@code text}, or leaves it
   * out when there are none (a chunk of punctuation): Solr then parses the field's bare text as
   * JSON, and fails the whole batch.
   */
  private static void setTokens(SolrInputDocument doc, String field, String text) {
    String tokens = preAnalyzed(text);
    if (tokens != null) {
      doc.setField(field, tokens);
    }
  }

  /**
   * The value of a pre-analyzed field (no stored text): the tokens Quarry's analyzer makes of
   * {@code text}, with their position increments (an identifier's parts share its position, and
   * BM25's length counts positions, not parts); null when it makes none.
   */
  static String preAnalyzed(String text) {
    StringWriter out = new StringWriter(text.length() * 2 + 32);
    int count = 0;
    try (JsonGenerator json = JSON.createGenerator(out);
        TokenStream tokens = ANALYZER.tokenStream("text", text)) {
      json.writeStartObject();
      json.writeStringField("v", "1");
      json.writeArrayFieldStart("tokens");
      CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute increment = tokens.addAttribute(PositionIncrementAttribute.class);
      tokens.reset();
      while (tokens.incrementToken()) {
        json.writeStartObject();
        json.writeStringField("t", term.toString());
        if (increment.getPositionIncrement() != 1) {
          json.writeNumberField("i", increment.getPositionIncrement());
        }
        json.writeEndObject();
        count++;
      }
      tokens.end();
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return count == 0 ? null : out.toString();
  }
}
