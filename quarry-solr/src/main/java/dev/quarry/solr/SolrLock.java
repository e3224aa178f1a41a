package dev.quarry.solr;

import dev.quarry.json.QuarryJson;
import dev.quarry.store.IndexLock;
import dev.quarry.store.IndexLockedException;
import dev.quarry.store.WriterLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;

/**
 * The one-writer lock of each root, kept in the collection itself: one lock document per root,
 * created only if absent and changed only at the version last seen (Solr's optimistic concurrency:
 * {@code _version_} -1 = must not exist, N = must still be N), so two writers of a root cannot both
 * hold it, while writers of different roots share the collection.
 *
 * <p>A holder refreshes its heartbeat every {@value #HEARTBEAT_SECONDS} s. A lock is stale, and the
 * next writer takes it over (recording the dead run as interrupted), when its process is gone (same
 * host) or its heartbeat is older than {@link #STALE} (another host, which cannot be asked). A
 * holder whose heartbeat meets a newer version has lost the lock: its writes stop.
 */
final class SolrLock implements WriterLock {
  static final long HEARTBEAT_SECONDS = 10;
  static final Duration STALE = Duration.ofSeconds(60);
  private static final String THIS_HOST = IndexLock.Holder.current(0, "").host();

  private final SolrClient client;
  private final String collection;
  private final String location;
  private final Map<String, String> roots; // by lock id, in the order they are taken
  private final Map<String, Long> versions = new LinkedHashMap<>();
  private final ScheduledExecutorService heartbeat;
  private Optional<IndexLock.Holder> previous = Optional.empty(); // set while taking
  private volatile IndexLock.Holder holder;
  private volatile Throwable lost;
  private volatile boolean keepName;

  private SolrLock(
      SolrClient client,
      String collection,
      String location,
      Map<String, String> roots,
      IndexLock.Holder holder) {
    this.client = client;
    this.collection = collection;
    this.location = location;
    this.roots = roots;
    this.holder = holder;
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("quarry-solr-lock").unstarted(r));
  }

  /** The id of the lock document of {@code root}. */
  static String lockId(String root) {
    return SolrDocuments.OWN + "lock." + digest(root);
  }

  static String digest(String text) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has SHA-256
    }
  }

  /**
   * Takes the lock of every root (in one order, so two writers of overlapping roots cannot each
   * hold a part), taking over stale ones.
   *
   * @throws IndexLockedException when a live run holds one of them (those taken are released)
   */
  static SolrLock acquire(
      SolrClient client, String collection, String location, List<String> roots, String kind)
      throws IOException {
    Map<String, String> byId = new LinkedHashMap<>();
    new TreeSet<>(roots).forEach(r -> byId.put(lockId(r), r));
    SolrLock lock =
        new SolrLock(client, collection, location, byId, IndexLock.Holder.current(0, kind));
    try {
      for (String root : byId.values()) {
        Optional<IndexLock.Holder> dead = lock.take(root);
        if (lock.previous.isEmpty()) {
          lock.previous = dead;
        }
      }
    } catch (IOException | RuntimeException e) {
      lock.release();
      throw e;
    }
    lock.heartbeat.scheduleWithFixedDelay(
        lock::beat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    return lock;
  }

  /** Takes the lock of {@code root}; the dead holder it replaced, if any. */
  private Optional<IndexLock.Holder> take(String root) throws IOException {
    String id = lockId(root);
    try {
      versions.put(id, write(id, root, -1L));
      return Optional.empty();
    } catch (SolrException e) {
      if (e.code() != 409) {
        throw new IOException("taking the lock of " + root + " in " + location + ": " + e, e);
      }
    }
    SolrDocument found = realTimeGet(client, collection, id);
    if (found == null) {
      return take(root); // released meanwhile
    }
    IndexLock.Holder other = holderOf(found);
    if (other != null && live(other, heartbeatOf(found))) {
      throw new IndexLockedException(location + " (root " + root + ")", other);
    }
    try {
      versions.put(id, write(id, root, versionOf(found)));
    } catch (SolrException e) {
      if (e.code() == 409) {
        throw new IndexLockedException(location + " (root " + root + ")", null);
      }
      throw e;
    }
    return Optional.ofNullable(other);
  }

  /** Whether the holder still runs: its process on this host, or a recent heartbeat elsewhere. */
  static boolean live(IndexLock.Holder holder, Instant heartbeat) {
    if (holder.host().equals(THIS_HOST)) {
      return holder.alive();
    }
    return heartbeat.isAfter(Instant.now().minus(STALE));
  }

  private long write(String id, String root, long expectedVersion) throws IOException {
    SolrInputDocument doc = new SolrInputDocument();
    doc.setField("id", id);
    doc.setField("kind", SolrDocuments.KIND_LOCK);
    doc.setField("root", root);
    doc.setField("data", toJson(holder));
    doc.setField("heartbeat", System.currentTimeMillis());
    doc.setField("_version_", expectedVersion);
    UpdateRequest request = new UpdateRequest();
    request.add(doc);
    request.setParam("versions", "true");
    try {
      var response = request.process(client, collection);
      Object adds = response.getResponse().get("adds");
      if (adds instanceof org.apache.solr.common.util.NamedList<?> list && list.get(id) != null) {
        return ((Number) list.get(id)).longValue();
      }
    } catch (org.apache.solr.client.solrj.SolrServerException e) {
      throw new IOException("writing the lock in " + location + ": " + e.getMessage(), e);
    }
    SolrDocument written = realTimeGet(client, collection, id);
    return written == null ? 0 : versionOf(written);
  }

  private synchronized void beat() {
    try {
      rewriteAll();
    } catch (SolrException e) {
      if (e.code() == 409) {
        lost = new IOException("another run took over the lock of " + location, e);
      }
    } catch (IOException | RuntimeException e) {
      // A missed heartbeat: the next one may pass; the lock goes stale only after a minute.
    }
  }

  /** The failure of a lock taken over by another run (this one must stop writing), or null. */
  Throwable lost() {
    return lost;
  }

  @Override
  public Optional<IndexLock.Holder> previousHolder() {
    return previous;
  }

  @Override
  public IndexLock.Holder holder() {
    return holder;
  }

  @Override
  public synchronized void update(IndexLock.Holder newHolder) throws IOException {
    holder = newHolder;
    try {
      rewriteAll();
    } catch (SolrException e) {
      throw new IOException("the lock of " + location + " was taken over: " + e.getMessage(), e);
    }
  }

  /** Writes every lock document again (holder, heartbeat) at the version last seen. */
  private void rewriteAll() throws IOException {
    for (Map.Entry<String, String> lock : roots.entrySet()) {
      versions.put(
          lock.getKey(), write(lock.getKey(), lock.getValue(), versions.get(lock.getKey())));
    }
  }

  @Override
  public void keepNameOnClose() {
    keepName = true;
  }

  /** Stops the heartbeat and, unless the name is to be kept, deletes the lock documents. */
  synchronized void release() {
    heartbeat.shutdownNow();
    if (keepName) {
      return;
    }
    for (Map.Entry<String, Long> held : versions.entrySet()) {
      try {
        UpdateRequest delete = new UpdateRequest();
        delete.deleteById(held.getKey(), held.getValue());
        delete.process(client, collection);
      } catch (Exception e) {
        // Left behind: the next writer finds it stale (this process is gone) and takes it over.
      }
    }
  }

  private static SolrDocument realTimeGet(SolrClient client, String collection, String id)
      throws IOException {
    try {
      return client.getById(collection, id);
    } catch (org.apache.solr.client.solrj.SolrServerException e) {
      throw new IOException("reading " + id + " from collection " + collection, e);
    }
  }

  static long versionOf(SolrDocument doc) {
    return ((Number) doc.getFirstValue("_version_")).longValue();
  }

  static Instant heartbeatOf(SolrDocument doc) {
    return Instant.ofEpochMilli(SolrDocuments.number(doc, "heartbeat").longValue());
  }

  static String toJson(IndexLock.Holder h) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("pid", h.pid());
    map.put("processStart", h.processStart().toString());
    map.put("host", h.host());
    map.put("runId", h.runId());
    map.put("kind", h.kind());
    map.put("command", h.command());
    map.put("since", h.since().toString());
    try {
      return QuarryJson.MAPPER.writeValueAsString(map);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The holder a lock document names, or null when it cannot be read. */
  static IndexLock.Holder holderOf(SolrDocument doc) {
    try {
      var node = QuarryJson.MAPPER.readTree(SolrDocuments.string(doc, "data"));
      return new IndexLock.Holder(
          node.path("pid").asLong(),
          Instant.parse(node.path("processStart").asText()),
          node.path("host").asText(),
          node.path("runId").asLong(),
          node.path("kind").asText(),
          node.path("command").asText(),
          Instant.parse(node.path("since").asText()));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
