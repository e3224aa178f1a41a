package dev.quarry.solr;

import dev.quarry.manifest.ManifestEntry;
import dev.quarry.store.StoredFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.params.ModifiableSolrParams;

/**
 * Streams a collection's files for {@code quarry check}: every manifest and chunk document, sorted
 * by file, read with a cursor a page at a time; one file's documents are grouped, split into the
 * chunks of the version its entry names and the leftovers of other versions, and handed on. Memory
 * is one page and one file's chunk facts.
 */
final class SolrStoredFiles {
  private static final String FIELDS =
      "id,kind,fver,file,root,path,lang,size,mtime,file_key,content_hash,chunk_count,pipeline,"
          + "model,ordinal,has_vector";

  private final StoredFile.Visitor visitor;
  private String file; // the file whose documents are being gathered; null before the first
  private SolrDocument manifest;
  private final List<SolrDocument> chunks = new ArrayList<>();
  private long files;

  private SolrStoredFiles(StoredFile.Visitor visitor) {
    this.visitor = visitor;
  }

  /** Visits every file of {@code store} (a reader's: every root's); returns how many. */
  static long forEach(SolrIndexStore store, StoredFile.Visitor visitor) throws IOException {
    SolrStoredFiles scan = new SolrStoredFiles(visitor);
    ModifiableSolrParams params = new ModifiableSolrParams();
    params.set("q", "kind:(" + SolrDocuments.KIND_FILE + " OR " + SolrDocuments.KIND_CHUNK + ")");
    params.set("fl", FIELDS);
    params.set(
        "sort", "file asc,id asc"); // a file's documents together; id: unique, for the cursor
    params.set("rows", 1000);
    store.scan(params, scan::accept);
    scan.flush();
    return scan.files;
  }

  private void accept(SolrDocument doc) throws IOException {
    String docFile = SolrDocuments.string(doc, "file");
    if (!docFile.equals(file)) {
      flush();
      file = docFile;
    }
    if (SolrDocuments.KIND_FILE.equals(SolrDocuments.string(doc, "kind"))) {
      manifest = doc;
    } else {
      chunks.add(doc);
    }
  }

  private void flush() throws IOException {
    if (file == null) {
      return;
    }
    String version = manifest == null ? null : SolrDocuments.string(manifest, "fver");
    ManifestEntry entry = manifest == null ? null : SolrDocuments.manifestEntry(manifest);
    String root = SolrDocuments.string(manifest != null ? manifest : chunks.get(0), "root");
    List<StoredFile.Chunk> current = new ArrayList<>();
    int leftovers = 0;
    for (SolrDocument chunk : chunks) {
      if (version != null && version.equals(SolrDocuments.string(chunk, "fver"))) {
        current.add(
            new StoredFile.Chunk(
                chunk.getFirstValue("ordinal") instanceof Number n ? n.intValue() : -1,
                SolrDocuments.string(chunk, "path"),
                Boolean.TRUE.equals(chunk.getFirstValue("has_vector"))));
      } else {
        leftovers++;
      }
    }
    visitor.visit(new StoredFile(file, root, entry, current, leftovers));
    files++;
    file = null;
    manifest = null;
    chunks.clear();
  }
}
