package dev.quarry.solr;

import dev.quarry.embed.EmbeddedChunk;
import dev.quarry.json.QuarryJson;
import dev.quarry.manifest.ManifestEntry;
import dev.quarry.manifest.ManifestSnapshot;
import dev.quarry.pipeline.RunHistory;
import dev.quarry.pipeline.RunReport;
import dev.quarry.store.IndexMetadata;
import dev.quarry.store.IndexStats;
import dev.quarry.store.IndexStore;
import dev.quarry.store.ManifestVisitor;
import dev.quarry.store.StoreView;
import dev.quarry.store.WriterLock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.client.solrj.util.ClientUtils;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.params.CursorMarkParams;
import org.apache.solr.common.params.ModifiableSolrParams;

/**
 * The index of one set of roots in a SolrCloud collection, opened for a run (with the roots' locks)
 * or for reading (all the collection's indexes at once).
 *
 * <p><b>Visibility.</b> Solr has no transaction over several documents, and a commit is the whole
 * collection's (another writer's commit exposes this run's writes too). So visibility is decided by
 * the data: a search keeps only chunks whose file version ({@code fver}) a manifest entry names (a
 * join filter, cached per commit). A file's new chunks are written beside the old ones, then its
 * manifest entry names them, then the old ones are deleted ({@link SolrDocuments}); whenever a
 * commit lands, a reader sees each file whole, old or new. What a killed run wrote is either whole
 * (manifest entry written after its chunks) and correct to keep, or chunks nobody names, which the
 * next writer of the roots deletes ({@link #removeOrphans}).
 *
 * <p><b>Commits.</b> {@link #commit} sends every pending write, writes the run's metadata (this set
 * of roots' history) and commits the collection (hard, opening searchers): durable and visible.
 */
final class SolrIndexStore implements IndexStore {
  private static final int PAGE = 1000;

  private final SolrCollection collection;
  private final List<String> roots; // null when opened for reading
  private final SolrLock lock; // null when opened for reading
  private final SolrUpdates updates; // null when opened for reading
  private final String token;
  private final String metaId;
  private final AtomicBoolean uncommitted = new AtomicBoolean();

  SolrIndexStore(SolrCollection collection, List<String> roots, SolrLock lock) {
    this.collection = collection;
    this.roots = roots == null ? null : List.copyOf(new TreeSet<>(roots));
    this.lock = lock;
    this.updates =
        lock == null
            ? null
            : new SolrUpdates(collection.client(), collection.name(), collection.retry(), 2);
    // Each store writing names its chunks anew: a rerun's chunks never overwrite a committed
    // version's before its manifest entry names them.
    this.token = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    this.metaId = roots == null ? null : SolrDocuments.OWN + "meta." + namespace(roots);
  }

  /** The key of the index of a set of roots: its metadata document's id. */
  static String namespace(List<String> roots) {
    return SolrLock.digest(String.join("\n", new TreeSet<>(roots)));
  }

  private SolrClient client() {
    return collection.client();
  }

  private String name() {
    return collection.name();
  }

  @Override
  public String location() {
    return collection.location();
  }

  // ---- metadata

  /** The metadata of every index in the collection (committed), by namespace. */
  static Map<String, Map<String, String>> metas(SolrCollection collection) throws IOException {
    ModifiableSolrParams params = new ModifiableSolrParams();
    params.set("q", "kind:" + SolrDocuments.KIND_META);
    params.set("fl", "id,data");
    params.set("rows", 10_000);
    QueryResponse response = collection.query("reading " + collection.location(), params);
    Map<String, Map<String, String>> metas = new LinkedHashMap<>();
    for (SolrDocument doc : response.getResults()) {
      String id = SolrDocuments.string(doc, "id");
      metas.put(
          id.substring(id.lastIndexOf('.') + 1),
          SolrCollection.json(SolrDocuments.string(doc, "data")));
    }
    return metas;
  }

  /**
   * A writer's: its roots' metadata as last written. A reader's: all indexes' together (their
   * roots, the newest last run, every history merged newest first).
   */
  @Override
  public Map<String, String> commitData() throws IOException {
    if (metaId != null) {
      SolrDocument doc = collection.realTimeGet(metaId);
      return doc == null ? Map.of() : SolrCollection.json(SolrDocuments.string(doc, "data"));
    }
    return merged(metas(collection).values());
  }

  static Map<String, String> merged(Collection<Map<String, String>> metas) {
    if (metas.size() == 1) {
      return metas.iterator().next();
    }
    Map<String, String> merged = new HashMap<>();
    TreeSet<String> roots = new TreeSet<>();
    List<RunReport> runs = new ArrayList<>();
    RunReport last = null;
    for (Map<String, String> meta : metas) {
      merged.putIfAbsent(IndexMetadata.FORMAT, meta.get(IndexMetadata.FORMAT));
      if (meta.get(IndexMetadata.MODEL) != null) {
        merged.put(IndexMetadata.MODEL, meta.get(IndexMetadata.MODEL));
      }
      roots.addAll(IndexMetadata.roots(meta));
      runs.addAll(RunHistory.parse(meta.get(IndexMetadata.RUNS)).reports());
      String lastRun = meta.get(IndexMetadata.LAST_RUN);
      if (lastRun != null) {
        RunReport report = RunReport.parse(lastRun);
        if (last == null || report.startedAt().isAfter(last.startedAt())) {
          last = report;
        }
      }
    }
    merged.values().removeIf(v -> v == null);
    if (!roots.isEmpty()) {
      merged.put(IndexMetadata.ROOTS, String.join("\n", roots));
    }
    if (last != null) {
      merged.put(IndexMetadata.LAST_RUN, last.toJson());
    }
    runs.sort(Comparator.comparing(RunReport::startedAt).reversed());
    merged.put(
        IndexMetadata.RUNS,
        new RunHistory(runs.subList(0, Math.min(runs.size(), IndexMetadata.RUN_HISTORY))).toJson());
    return merged;
  }

  // ---- manifest

  @Override
  public ManifestSnapshot manifestSnapshot() throws IOException {
    ManifestSnapshot.Builder builder = new ManifestSnapshot.Builder();
    List<String> files = new ArrayList<>();
    scan(
        manifestQuery("id asc", "file,size,mtime,root,pipeline,model"),
        doc -> {
          String file = SolrDocuments.string(doc, "file");
          builder.add(
              file,
              SolrDocuments.number(doc, "size").longValue(),
              SolrDocuments.number(doc, "mtime").longValue(),
              SolrDocuments.string(doc, "root"),
              SolrDocuments.string(doc, "pipeline"),
              SolrDocuments.string(doc, "model"),
              files.size());
          files.add(file);
        });
    return builder.build(
        new ManifestSnapshot.EntrySource() {
          @Override
          public ManifestEntry entry(long locator) throws IOException {
            String file = files.get(Math.toIntExact(locator));
            SolrDocument doc = committed(SolrDocuments.manifestId(file));
            if (doc == null) {
              throw new IOException(
                  "the manifest entry of " + file + " is gone from " + location());
            }
            return SolrDocuments.manifestEntry(doc);
          }

          @Override
          public void close() {}
        });
  }

  @Override
  public long forEachFile(ManifestVisitor visitor) throws IOException {
    long[] count = {0};
    scan(
        manifestQuery("file asc,id asc", "*"),
        doc -> {
          visitor.visit(SolrDocuments.manifestEntry(doc));
          count[0]++;
        });
    return count[0];
  }

  /** The manifest entries of this writer's roots (a reader's: all), sorted for a cursor. */
  private ModifiableSolrParams manifestQuery(String sort, String fields) {
    ModifiableSolrParams params = new ModifiableSolrParams();
    params.set("q", "kind:" + SolrDocuments.KIND_FILE);
    if (roots != null) {
      params.add("fq", anyOf("root", roots));
    }
    params.set("fl", fields);
    params.set("sort", sort);
    params.set("rows", PAGE);
    return params;
  }

  /** A filter: {@code field} equal to one of {@code values}. */
  static String anyOf(String field, Collection<String> values) {
    return field
        + ":("
        + String.join(" OR ", values.stream().map(ClientUtils::escapeQueryChars).toList())
        + ")";
  }

  /** A document as the last commit holds it (not a pending write, as real-time get would give). */
  private SolrDocument committed(String id) throws IOException {
    ModifiableSolrParams params = new ModifiableSolrParams();
    params.set("q", "{!term f=id}" + id);
    params.set("fl", "*");
    var results = collection.query("reading " + location(), params).getResults();
    return results.isEmpty() ? null : results.get(0);
  }

  /** Receives documents of a scan. */
  @FunctionalInterface
  interface DocumentSink {
    void accept(SolrDocument doc) throws IOException;
  }

  /** Every document {@code params} matches, a page at a time with a cursor (no deep paging). */
  void scan(ModifiableSolrParams params, DocumentSink sink) throws IOException {
    String cursor = CursorMarkParams.CURSOR_MARK_START;
    while (true) {
      params.set(CursorMarkParams.CURSOR_MARK_PARAM, cursor);
      QueryResponse page = collection.query("reading " + location(), params);
      for (SolrDocument doc : page.getResults()) {
        sink.accept(doc);
      }
      String next = page.getNextCursorMark();
      if (next == null || next.equals(cursor)) {
        return;
      }
      cursor = next;
    }
  }

  // ---- vectors

  @Override
  public Optional<float[]> storedVector(String chunkHash) throws IOException {
    return Optional.ofNullable(storedVectors(List.of(chunkHash)).get(chunkHash));
  }

  @Override
  public Map<String, float[]> storedVectors(Collection<String> chunkHashes) throws IOException {
    Map<String, float[]> found = new HashMap<>();
    List<String> hashes = List.copyOf(chunkHashes);
    for (int from = 0; from < hashes.size(); from += PAGE) {
      List<String> part = hashes.subList(from, Math.min(hashes.size(), from + PAGE));
      ModifiableSolrParams params = new ModifiableSolrParams();
      params.set("q", "{!terms f=hash}" + String.join(",", part));
      params.add("fq", "has_vector:true");
      params.add("fq", SolrStoreView.VISIBLE);
      params.set("fl", "hash,vector");
      params.set("rows", part.size() * 4);
      for (SolrDocument doc :
          collection.query("reading vectors from " + location(), params).getResults()) {
        float[] vector = SolrDocuments.vector(doc);
        if (vector != null) {
          found.putIfAbsent(SolrDocuments.string(doc, "hash"), vector);
        }
      }
    }
    return found;
  }

  // ---- writes

  @Override
  public void writeFile(ManifestEntry entry, List<EmbeddedChunk> chunks, boolean newToStore)
      throws IOException {
    requireWriter();
    SolrDocument old =
        newToStore ? null : collection.realTimeGet(SolrDocuments.manifestId(entry.file()));
    List<SolrInputDocument> docs = new ArrayList<>(chunks.size() + 1);
    List<String> newIds = new ArrayList<>(chunks.size());
    for (EmbeddedChunk chunk : chunks) {
      docs.add(SolrDocuments.chunk(entry, chunk, token));
      newIds.add(SolrDocuments.chunkId(entry.file(), token, chunk.chunk().ordinal()));
    }
    docs.add(SolrDocuments.manifest(entry, SolrDocuments.fileVersion(entry.file(), token)));
    // Refused, its new chunks go unless the stored entry names them (rewritten in place, same run).
    boolean inPlace = old != null && token.equals(tokenOf(old));
    updates.write(
        new SolrUpdates.FileWrite(
            entry.file(),
            entry.path(),
            docs,
            staleChunks(entry.file(), old, chunks.size()),
            inPlace ? List.of() : newIds));
    uncommitted.set(true);
  }

  /**
   * The ids of the chunks of the file's version now stored ({@code old}, its manifest entry by
   * real-time get: a write of this run not yet committed counts), but for those this write replaces
   * in place (same token).
   */
  private List<String> staleChunks(String file, SolrDocument old, int newCount) {
    if (old == null) {
      return List.of();
    }
    String oldToken = tokenOf(old);
    int oldCount = SolrDocuments.number(old, "chunk_count").intValue();
    List<String> ids = new ArrayList<>();
    for (int i = oldToken.equals(token) ? newCount : 0; i < oldCount; i++) {
      ids.add(SolrDocuments.chunkId(file, oldToken, i));
    }
    return ids;
  }

  private static String tokenOf(SolrDocument manifest) {
    String fver = SolrDocuments.string(manifest, "fver");
    return fver.substring(fver.lastIndexOf('@') + 1);
  }

  @Override
  public void updateManifest(ManifestEntry entry) throws IOException {
    requireWriter();
    SolrDocument old = collection.realTimeGet(SolrDocuments.manifestId(entry.file()));
    String fver =
        old == null
            ? SolrDocuments.fileVersion(entry.file(), token)
            : SolrDocuments.string(old, "fver");
    updates.write(
        new SolrUpdates.FileWrite(
            entry.file(),
            entry.path(),
            List.of(SolrDocuments.manifest(entry, fver)),
            List.of(),
            List.of()));
    uncommitted.set(true);
  }

  @Override
  public void deleteFile(String file) throws IOException {
    requireWriter();
    List<String> ids = new ArrayList<>();
    ids.add(SolrDocuments.manifestId(file));
    ids.addAll(staleChunks(file, collection.realTimeGet(SolrDocuments.manifestId(file)), 0));
    updates.write(new SolrUpdates.FileWrite(file, file, List.of(), ids, List.of()));
    uncommitted.set(true);
  }

  @Override
  public void commit(Map<String, String> commitData) throws IOException {
    requireWriter();
    updates.flush();
    SolrInputDocument meta = new SolrInputDocument();
    meta.setField("id", metaId);
    meta.setField("kind", SolrDocuments.KIND_META);
    // Sorted, so the metadata document reads the same every time.
    meta.setField("data", QuarryJson.MAPPER.writeValueAsString(new TreeMap<>(commitData)));
    UpdateRequest request = new UpdateRequest();
    request.add(meta);
    collection
        .retry()
        .run("writing the metadata of " + location(), () -> request.process(client(), name()));
    collection.retry().run("committing " + location(), () -> client().commit(name(), true, true));
    uncommitted.set(false);
  }

  @Override
  public List<RejectedFile> takeRejectedFiles() {
    return updates == null ? List.of() : updates.rejected();
  }

  @Override
  public boolean hasUncommittedChanges() {
    return uncommitted.get();
  }

  @Override
  public Throwable writeFailure() {
    if (updates == null) {
      return null;
    }
    return updates.failure() != null ? updates.failure() : lock.lost();
  }

  /**
   * Deletes the chunks of these roots that no manifest entry names: what a killed writer wrote of
   * files it never finished. Run by a writer that took over a dead one's lock, before writing.
   */
  void removeOrphans() throws IOException {
    collection.softCommit(); // the dead run's writes, to be found
    // Solr refuses a join in a delete-by-query: found by a search, deleted by id.
    ModifiableSolrParams params = new ModifiableSolrParams();
    params.set("q", "kind:" + SolrDocuments.KIND_CHUNK);
    params.add("fq", anyOf("root", roots));
    params.add("fq", "*:* -_query_:\"" + SolrStoreView.VISIBLE + "\"");
    params.set("fl", "id");
    params.set("sort", "id asc");
    params.set("rows", PAGE);
    List<String> orphans = new ArrayList<>();
    scan(params, doc -> orphans.add(SolrDocuments.string(doc, "id")));
    for (int from = 0; from < orphans.size(); from += PAGE) {
      UpdateRequest delete = new UpdateRequest();
      delete.deleteById(
          new ArrayList<>(orphans.subList(from, Math.min(orphans.size(), from + PAGE))));
      collection
          .retry()
          .run(
              "removing a dead run's leftovers from " + location(),
              () -> delete.process(client(), name()));
    }
    collection.softCommit();
  }

  private void requireWriter() {
    if (updates == null) {
      throw new IllegalStateException(location() + " was opened for reading");
    }
    Throwable lost = lock.lost();
    if (lost != null) {
      throw new IllegalStateException(lost.getMessage(), lost);
    }
  }

  // ---- reading

  @Override
  public StoreView view() throws IOException {
    return new SolrStoreView(collection, this);
  }

  @Override
  public IndexStats stats() throws IOException {
    long files = count("kind:" + SolrDocuments.KIND_FILE);
    long chunks = count("kind:" + SolrDocuments.KIND_CHUNK, SolrStoreView.VISIBLE);
    long vectors =
        count("kind:" + SolrDocuments.KIND_CHUNK, SolrStoreView.VISIBLE, "has_vector:true");
    return new IndexStats(files, chunks, vectors, 0);
  }

  private long count(String q, String... filters) throws IOException {
    ModifiableSolrParams params = new ModifiableSolrParams();
    params.set("q", q);
    for (String fq : filters) {
      params.add("fq", fq);
    }
    params.set("rows", 0);
    return collection.query("counting in " + location(), params).getResults().getNumFound();
  }

  @Override
  public WriterLock lock() {
    if (lock == null) {
      throw new IllegalStateException(location() + " was opened for reading");
    }
    return lock;
  }

  @Override
  public void close() throws IOException {
    if (updates != null) {
      updates.close();
    }
    if (lock != null) {
      lock.release();
    }
  }
}
