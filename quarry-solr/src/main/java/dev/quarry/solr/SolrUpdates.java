package dev.quarry.solr;

import dev.quarry.store.IndexStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.SolrInputField;

/**
 * The writes of a run, sent to SolrCloud in batches: files' documents gathered into update requests
 * sized by count and bytes, the size adapted to how the cluster answers (growing while requests are
 * quick, halving on a slow or failed one), at most {@code inFlight} requests at once (a writer
 * waits for a free slot: memory stays bounded), each retried with backoff ({@link SolrRetry}).
 *
 * <p>A batch that fails all its retries opens the breaker: the failure is kept, and every later
 * write and flush fails at once with it instead of waiting out retries of its own; the run stops
 * with the first cause, and what was not committed is written again by the next run.
 *
 * <p>A file's documents are in one request, in order (its chunks, then its manifest entry, then
 * deletions of the old version's chunks, which Solr applies after a request's additions), unless
 * they exceed a batch: then its chunks are sent first, and its manifest entry only after they are
 * stored.
 *
 * <p>A request Solr refuses for a document it cannot take (see {@link SolrRetry#refusedDocument})
 * is not the cluster's failure: its files are sent again one by one, and a file refused alone is
 * {@linkplain #rejected() rejected} (its new chunks deleted when no manifest entry names them),
 * while the run goes on. Solr applies a request's documents in order up to the bad one, and a
 * file's come before its manifest entry, so a refused file's manifest entry still names its old
 * version. Thread-safe.
 */
final class SolrUpdates {
  private static final int MIN_DOCS = 16;
  private static final int MAX_DOCS = 4096;
  private static final long MAX_BYTES = 16L << 20;

  /** A request slower than this shrinks the next batches; quicker ones let them grow. */
  private static final long SLOW_NANOS = TimeUnit.SECONDS.toNanos(4);

  private static final long QUICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);

  private final SolrClient client;
  private final String collection;
  private final SolrRetry retry;
  private final Semaphore slots;
  private final int inFlight;
  private final ExecutorService senders;

  /**
   * One file's documents, sent together and again alone when a request holding them is refused.
   *
   * @param file the file's path as the manifest keys it
   * @param path its path relative to its root
   * @param adds its documents, its manifest entry last
   * @param deletes ids to delete after the additions (its old version's chunks)
   * @param onRejection ids to delete when it is refused (new chunks no manifest entry names)
   */
  record FileWrite(
      String file,
      String path,
      List<SolrInputDocument> adds,
      List<String> deletes,
      List<String> onRejection) {}

  /** A request Solr refused as malformed: sending it again would fail the same way. */
  private static final class Refused extends IOException {
    Refused(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  private volatile int targetDocs = 256;
  private List<FileWrite> pending = new ArrayList<>();
  private int pendingDocs;
  private long pendingBytes;
  private volatile Throwable failure;
  private final Queue<IndexStore.RejectedFile> rejected = new ConcurrentLinkedQueue<>();

  /**
   * Files of the requests in flight. A file's next write waits until its last is answered: two
   * requests in flight at once may land in either order, and a file's text-only write landing after
   * its vectors (written soon after when they come from the cache) would leave it without them.
   * Guarded by itself.
   */
  private final Set<String> filesInFlight = new HashSet<>();

  SolrUpdates(SolrClient client, String collection, SolrRetry retry, int inFlight) {
    this.client = client;
    this.collection = collection;
    this.retry = retry;
    this.inFlight = inFlight;
    this.slots = new Semaphore(inFlight);
    this.senders =
        Executors.newFixedThreadPool(
            inFlight, r -> Thread.ofPlatform().daemon().name("quarry-solr-update").unstarted(r));
  }

  /**
   * Writes a file's documents ({@code adds} in order, then {@code deletes} by id) in one request,
   * or, when they exceed a batch, its chunks first.
   */
  void write(FileWrite write) throws IOException {
    failIfBroken();
    List<SolrInputDocument> adds = write.adds();
    if (adds.size() > targetDocs) {
      // A huge file: its chunks stored before its manifest entry (the last document) is sent.
      List<SolrInputDocument> chunks = adds.subList(0, adds.size() - 1);
      Set<String> file = filesOf(List.of(write));
      claim(file);
      try {
        for (int from = 0; from < chunks.size(); from += targetDocs) {
          UpdateRequest part = new UpdateRequest();
          part.add(
              new ArrayList<>(chunks.subList(from, Math.min(chunks.size(), from + targetDocs))));
          try {
            send(part);
          } catch (Refused e) {
            reject(write, e);
            return; // its manifest entry is not sent: the old version stays
          }
        }
      } finally {
        release(file);
      }
      write =
          new FileWrite(
              write.file(),
              write.path(),
              List.of(adds.get(adds.size() - 1)),
              write.deletes(),
              write.onRejection());
    }
    List<FileWrite> full = null;
    synchronized (this) {
      pending.add(write);
      for (SolrInputDocument doc : write.adds()) {
        pendingBytes += bytes(doc);
      }
      pendingDocs += write.adds().size() + write.deletes().size();
      if (pendingDocs >= targetDocs || pendingBytes >= MAX_BYTES) {
        full = takePending();
      }
    }
    if (full != null) {
      sendAsync(full);
    }
  }

  /** Sends what is gathered and waits for every request in flight; fails with the first failure. */
  void flush() throws IOException {
    List<FileWrite> last;
    synchronized (this) {
      last = pendingDocs == 0 ? null : takePending();
    }
    if (last != null) {
      sendAsync(last);
    }
    try {
      slots.acquire(inFlight); // every request done
      slots.release(inFlight);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted waiting for writes to SolrCloud");
    }
    failIfBroken();
  }

  /** The files refused since the last call, oldest first. */
  List<IndexStore.RejectedFile> rejected() {
    List<IndexStore.RejectedFile> taken = new ArrayList<>();
    for (IndexStore.RejectedFile file = rejected.poll(); file != null; file = rejected.poll()) {
      taken.add(file);
    }
    return taken;
  }

  /** The failure that opened the breaker, or null. */
  Throwable failure() {
    return failure;
  }

  /** Whether anything was written and not yet flushed. */
  synchronized boolean hasPending() {
    return pendingDocs > 0;
  }

  void close() {
    senders.shutdownNow();
  }

  private List<FileWrite> takePending() {
    List<FileWrite> taken = pending;
    pending = new ArrayList<>();
    pendingDocs = 0;
    pendingBytes = 0;
    return taken;
  }

  private void sendAsync(List<FileWrite> writes) throws IOException {
    Set<String> files = filesOf(writes);
    claim(files);
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      release(files);
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted waiting to write to SolrCloud");
    }
    try {
      senders.execute(
          () -> {
            try {
              send(writes);
            } catch (IOException | RuntimeException e) {
              if (failure == null) {
                failure = e;
              }
            } finally {
              release(files);
              slots.release();
            }
          });
    } catch (RuntimeException e) {
      release(files);
      slots.release();
      throw e;
    }
  }

  private static Set<String> filesOf(List<FileWrite> writes) {
    Set<String> files = new HashSet<>();
    for (FileWrite write : writes) {
      if (write.file() != null) {
        files.add(write.file());
      }
    }
    return files;
  }

  /** Waits until no request in flight holds any of {@code files}, then marks them in flight. */
  private void claim(Set<String> files) throws IOException {
    synchronized (filesInFlight) {
      while (!Collections.disjoint(filesInFlight, files)) {
        try {
          filesInFlight.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted waiting for a file's last write");
        }
      }
      filesInFlight.addAll(files);
    }
  }

  private void release(Set<String> files) {
    synchronized (filesInFlight) {
      filesInFlight.removeAll(files);
      filesInFlight.notifyAll();
    }
  }

  /**
   * Sends the files' documents; refused, sends each file again alone, and rejects those refused.
   */
  private void send(List<FileWrite> writes) throws IOException {
    try {
      send(request(writes));
    } catch (Refused e) {
      if (writes.size() == 1) {
        reject(writes.get(0), e);
        return;
      }
      for (FileWrite write : writes) {
        send(List.of(write));
      }
    }
  }

  /** Keeps a refused file for the run's books and deletes what it left that nothing names. */
  private void reject(FileWrite write, Refused refused) throws IOException {
    if (write.file() == null) {
      failure = refused; // not a file's write: nothing to fail but the run
      throw refused;
    }
    rejected.add(
        new IndexStore.RejectedFile(
            write.file(), write.path(), SolrRetry.message(refused.getCause())));
    if (!write.onRejection().isEmpty()) {
      UpdateRequest cleanup = new UpdateRequest();
      cleanup.deleteById(new ArrayList<>(write.onRejection()));
      send(cleanup);
    }
  }

  private static UpdateRequest request(List<FileWrite> writes) {
    UpdateRequest request = new UpdateRequest();
    List<String> deletes = new ArrayList<>();
    for (FileWrite write : writes) {
      if (!write.adds().isEmpty()) {
        request.add(write.adds());
      }
      deletes.addAll(write.deletes());
    }
    if (!deletes.isEmpty()) {
      request.deleteById(deletes);
    }
    return request;
  }

  /**
   * Sends one request with retries.
   *
   * @throws Refused when Solr refuses it as malformed (the breaker stays closed)
   */
  private void send(UpdateRequest request) throws IOException {
    failIfBroken();
    int docs = count(request);
    try {
      retry.run(
          "writing " + docs + " documents to collection " + collection,
          () -> {
            long attempt = System.nanoTime();
            try {
              return request.process(client, collection);
            } catch (Exception e) {
              shrink(); // a failed or timed-out request: smaller ones next
              throw e;
            } finally {
              adapt(System.nanoTime() - attempt, docs);
            }
          });
    } catch (IOException e) {
      if (refused(e)) {
        throw new Refused(e);
      }
      if (failure == null) {
        failure = e;
      }
      throw e;
    }
  }

  /** Whether Solr refused a document it cannot take: not a cluster in trouble. */
  private static boolean refused(IOException e) {
    return SolrRetry.refusedDocument(e);
  }

  private void adapt(long nanos, int docs) {
    if (nanos > SLOW_NANOS) {
      shrink();
    } else if (nanos < QUICK_NANOS && docs >= targetDocs) {
      targetDocs = Math.min(MAX_DOCS, targetDocs + targetDocs / 4);
    }
  }

  private void shrink() {
    targetDocs = Math.max(MIN_DOCS, targetDocs / 2);
  }

  private void failIfBroken() throws IOException {
    Throwable broken = failure;
    if (broken != null) {
      throw new IOException(
          "writes to collection " + collection + " stopped: " + SolrRetry.message(broken), broken);
    }
  }

  private static int count(UpdateRequest request) {
    List<SolrInputDocument> docs = request.getDocuments();
    List<String> deletes = request.getDeleteById();
    return (docs == null ? 0 : docs.size()) + (deletes == null ? 0 : deletes.size());
  }

  /** About what the document costs on the wire, to bound a request's size. */
  private static long bytes(SolrInputDocument doc) {
    long bytes = 0;
    for (Map.Entry<String, SolrInputField> field : doc.entrySet()) {
      Object value = field.getValue().getValue();
      bytes +=
          field.getKey().length()
              + switch (value) {
                case String s -> s.length();
                case List<?> list -> list.size() * 5L;
                default -> 8;
              };
    }
    return bytes;
  }
}
