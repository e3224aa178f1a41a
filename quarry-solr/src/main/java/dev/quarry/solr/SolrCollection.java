package dev.quarry.solr;

import dev.quarry.embed.ModelIdentity;
import dev.quarry.json.QuarryJson;
import dev.quarry.store.IndexLock;
import dev.quarry.store.IndexMetadata;
import dev.quarry.store.IndexMissingException;
import dev.quarry.store.IndexStore;
import dev.quarry.store.RemoteStore;
import dev.quarry.store.StoredFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.impl.HttpJdkSolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.ConfigSetAdminRequest;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.params.ModifiableSolrParams;

/**
 * A Quarry index in a SolrCloud collection. Creates the collection with Quarry's configset for the
 * model of the first run; refuses a run of another model or a collection of another schema version.
 * One {@link CloudSolrClient} (a pool of HTTP connections, the cluster's state cached) for every
 * store it opens; closing it closes the client.
 */
final class SolrCollection implements RemoteStore {
  private final SolrAddress address;
  private final SolrRetry retry = SolrRetry.standard();
  private CloudSolrClient client; // made on first use: an address alone reaches nothing

  /**
   * The HTTP client's threads, unbounded. SolrJ's own pool runs 4 threads for both the JDK client's
   * work and the writers that stream each request's body into a pipe: four requests in flight (two
   * batches to two shards) had four writers blocked on full pipes and nothing left to read them, a
   * deadlock no timeout ends (found by bench/solr-store.sh on a 2-shard collection). Requests in
   * flight are bounded by Quarry (SolrUpdates, one search at a time per view), so threads are too.
   */
  private ExecutorService http;

  SolrCollection(SolrAddress address) {
    this.address = address;
  }

  @Override
  public String location() {
    return "solr:" + address;
  }

  String name() {
    return address.collection();
  }

  SolrRetry retry() {
    return retry;
  }

  synchronized CloudSolrClient client() {
    if (client == null) {
      http =
          Executors.newCachedThreadPool(
              r -> Thread.ofPlatform().daemon().name("quarry-solr-http").unstarted(r));
      client =
          new CloudSolrClient.Builder(List.of(address.solrUrl()))
              .withHttpClientBuilder(
                  new HttpJdkSolrClient.Builder()
                      .withExecutor(http)
                      // HTTP/1.1: Solr 9's Jetty takes h2c only after a probe it logs as an error.
                      .useHttp1_1(true)
                      .withConnectionTimeout(5, TimeUnit.SECONDS)
                      .withRequestTimeout(120, TimeUnit.SECONDS))
              .withDefaultCollection(address.collection())
              .build();
    }
    return client;
  }

  @Override
  public boolean exists() throws IOException {
    return collectionExists() && info().isPresent();
  }

  private boolean collectionExists() throws IOException {
    return retry.run(
        "listing the collections of " + address.solrUrl(),
        () -> CollectionAdminRequest.listCollections(client()).contains(name()));
  }

  /** The info document: the schema version and model the collection was made for. */
  private Optional<Map<String, String>> info() throws IOException {
    SolrDocument doc = realTimeGet(SolrDocuments.INFO_ID);
    if (doc == null) {
      return Optional.empty();
    }
    return Optional.of(json(SolrDocuments.string(doc, "data")));
  }

  @Override
  public IndexStore openForWriting(List<Path> roots, String kind, ModelIdentity model)
      throws IOException {
    ensure(model);
    List<String> rootNames = roots.stream().map(Path::toString).toList();
    refuseOverlaps(rootNames);
    SolrLock lock = SolrLock.acquire(client(), name(), location(), rootNames, kind);
    try {
      softCommit(); // makes the lock visible to 'status' elsewhere
      SolrIndexStore store = new SolrIndexStore(this, rootNames, lock);
      if (lock.previousHolder().isPresent()) {
        store.removeOrphans();
      }
      return store;
    } catch (IOException | RuntimeException e) {
      lock.release();
      throw e;
    }
  }

  @Override
  public IndexStore openForReading() throws IOException {
    if (!exists()) {
      throw new IndexMissingException(location());
    }
    return new SolrIndexStore(this, null, null);
  }

  @Override
  public long forEachStoredFile(StoredFile.Visitor visitor) throws IOException {
    try (SolrIndexStore store = (SolrIndexStore) openForReading()) {
      return SolrStoredFiles.forEach(store, visitor);
    }
  }

  /** Files a delete-by-query names at most. */
  private static final int FILES_PER_DELETE = 100;

  @Override
  public void removeFiles(Map<String, List<String>> filesByRoot) throws IOException {
    if (filesByRoot.isEmpty()) {
      return;
    }
    SolrLock lock =
        SolrLock.acquire(client(), name(), location(), List.copyOf(filesByRoot.keySet()), "repair");
    try {
      List<String> files = filesByRoot.values().stream().flatMap(List::stream).toList();
      for (int from = 0; from < files.size(); from += FILES_PER_DELETE) {
        List<String> part = files.subList(from, Math.min(files.size(), from + FILES_PER_DELETE));
        UpdateRequest delete = new UpdateRequest();
        // Every kind a file has (manifest entry, chunks of any version): all carry its path.
        delete.deleteByQuery(SolrIndexStore.anyOf("file", part));
        retry.run("removing files from " + location(), () -> delete.process(client(), name()));
      }
      retry.run("committing " + location(), () -> client().commit(name(), true, true));
    } finally {
      lock.release();
    }
  }

  @Override
  public Optional<IndexLock.Holder> liveWriter() throws IOException {
    return writers(true);
  }

  @Override
  public Optional<IndexLock.Holder> deadWriter() throws IOException {
    return writers(false);
  }

  private Optional<IndexLock.Holder> writers(boolean live) throws IOException {
    if (!collectionExists()) {
      return Optional.empty();
    }
    ModifiableSolrParams params = new ModifiableSolrParams();
    params.set("q", "kind:" + SolrDocuments.KIND_LOCK);
    params.set("fl", "id");
    params.set("rows", 1000);
    List<String> ids = new ArrayList<>();
    for (SolrDocument d : query("reading locks of " + location(), params).getResults()) {
      ids.add(SolrDocuments.string(d, "id"));
    }
    for (String id : ids) {
      SolrDocument lock = realTimeGet(id);
      IndexLock.Holder holder = lock == null ? null : SolrLock.holderOf(lock);
      if (holder != null && SolrLock.live(holder, SolrLock.heartbeatOf(lock)) == live) {
        return Optional.of(holder);
      }
    }
    return Optional.empty();
  }

  /** Creates the collection for {@code model} when missing; refuses one made for another. */
  private void ensure(ModelIdentity model) throws IOException {
    if (!collectionExists()) {
      create(model);
    }
    Optional<Map<String, String>> info = info();
    if (info.isEmpty()) {
      writeInfo(model); // created by a run that died before writing it, or by hand
      info = info();
    }
    Map<String, String> known = info.orElseThrow();
    if (!SolrSchema.VERSION.equals(known.get("schema"))) {
      throw new IllegalStateException(
          "collection "
              + location()
              + " has Quarry schema version "
              + known.get("schema")
              + ", this Quarry writes version "
              + SolrSchema.VERSION
              + "; index into a new collection, or delete this one");
    }
    if (!model.id().equals(known.get("model"))) {
      throw new IllegalStateException(
          "collection "
              + location()
              + " holds vectors of model '"
              + known.get("model")
              + "', this run uses '"
              + model.id()
              + "'; vectors of two models never mix: index into another collection "
              + "(solr:.../solr/OTHER), or delete this one");
    }
  }

  // setWaitForFinalState is deprecated in SolrJ 10 (it waits by default), but a Solr 9 server
  // answers before the replicas are active unless asked.
  @SuppressWarnings("deprecation")
  private void create(ModelIdentity model) throws IOException {
    String config = SolrSchema.configName(model);
    Path zip = Files.createTempFile("quarry-configset", ".zip");
    try {
      Files.write(zip, SolrSchema.zip(model));
      retry.run(
          "uploading configset " + config + " to " + address.solrUrl(),
          () ->
              new ConfigSetAdminRequest.Upload()
                  .setConfigSetName(config)
                  .setUploadFile(zip, "application/zip")
                  .setOverwrite(true)
                  .process(client()));
    } finally {
      Files.deleteIfExists(zip);
    }
    try {
      var create =
          CollectionAdminRequest.createCollection(
              name(), config, address.shards(), address.replicas());
      create.setWaitForFinalState(true);
      create.process(client());
    } catch (SolrServerException | RuntimeException e) {
      if (!collectionExists()) { // else another writer created it meanwhile
        throw new IOException("creating collection " + location() + ": " + SolrRetry.message(e), e);
      }
    }
    writeInfo(model);
  }

  private void writeInfo(ModelIdentity model) throws IOException {
    Map<String, String> info = new LinkedHashMap<>();
    info.put("schema", SolrSchema.VERSION);
    info.put("model", model.id());
    info.put("dimensions", Integer.toString(model.dimensions()));
    SolrInputDocument doc = new SolrInputDocument();
    doc.setField("id", SolrDocuments.INFO_ID);
    doc.setField("kind", SolrDocuments.KIND_INFO);
    doc.setField("data", QuarryJson.MAPPER.writeValueAsString(info));
    doc.setField("_version_", -1L); // the first writer's info stays
    UpdateRequest request = new UpdateRequest();
    request.add(doc);
    request.setParam("failOnVersionConflicts", "false");
    retry.run("writing " + location() + "'s info", () -> request.process(client(), name()));
    retry.run("committing " + location(), () -> client().commit(name(), true, true));
  }

  /**
   * Refuses roots that another writer's index in this collection shares: each root has one manifest
   * and one history, kept by the runs over one set of roots.
   */
  private void refuseOverlaps(List<String> roots) throws IOException {
    String mine = SolrIndexStore.namespace(roots);
    Set<String> wanted = new HashSet<>(roots);
    for (Map.Entry<String, Map<String, String>> meta : SolrIndexStore.metas(this).entrySet()) {
      if (meta.getKey().equals(mine)) {
        continue;
      }
      for (String root : IndexMetadata.roots(meta.getValue())) {
        if (wanted.contains(root)) {
          throw new IllegalStateException(
              "root "
                  + root
                  + " is indexed in "
                  + location()
                  + " together with "
                  + IndexMetadata.roots(meta.getValue())
                  + ": index the same roots together, or into another collection");
        }
      }
    }
  }

  /** The document with this id as last written (real-time get: uncommitted writes too), or null. */
  SolrDocument realTimeGet(String id) throws IOException {
    return retry.run("reading " + location(), () -> client().getById(name(), id));
  }

  /**
   * A search of the collection, retried; sent as a POST (a kNN vector or a batch of ids is longer
   * than a URL may be).
   */
  QueryResponse query(String what, ModifiableSolrParams params) throws IOException {
    return retry.run(what, () -> client().query(name(), params, SolrRequest.METHOD.POST));
  }

  void softCommit() throws IOException {
    retry.run("committing " + location(), () -> client().commit(name(), true, true, true));
  }

  static Map<String, String> json(String text) throws IOException {
    Map<String, String> map = new LinkedHashMap<>();
    QuarryJson.MAPPER
        .readTree(text)
        .properties()
        .forEach(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }

  @Override
  public synchronized void close() throws IOException {
    if (client != null) {
      try {
        client.close();
      } finally {
        http.shutdownNow();
        client = null;
      }
    }
  }
}
