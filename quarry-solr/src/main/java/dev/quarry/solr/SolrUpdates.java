package dev.quarry.solr;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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
 * stored. Thread-safe.
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

  private volatile int targetDocs = 256;
  private UpdateRequest pending = new UpdateRequest();
  private int pendingDocs;
  private long pendingBytes;
  private volatile Throwable failure;

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
  void write(List<SolrInputDocument> adds, Collection<String> deletes) throws IOException {
    failIfBroken();
    if (adds.size() > targetDocs) {
      // A huge file: its chunks stored before its manifest entry (the last document) is sent.
      List<SolrInputDocument> chunks = adds.subList(0, adds.size() - 1);
      for (int from = 0; from < chunks.size(); from += targetDocs) {
        UpdateRequest part = new UpdateRequest();
        part.add(new ArrayList<>(chunks.subList(from, Math.min(chunks.size(), from + targetDocs))));
        send(part);
      }
      adds = List.of(adds.get(adds.size() - 1));
    }
    UpdateRequest full = null;
    synchronized (this) {
      for (SolrInputDocument doc : adds) {
        pending.add(doc);
        pendingBytes += bytes(doc);
      }
      pendingDocs += adds.size() + deletes.size();
      if (!deletes.isEmpty()) {
        pending.deleteById(new ArrayList<>(deletes));
      }
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
    UpdateRequest last;
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

  private UpdateRequest takePending() {
    UpdateRequest taken = pending;
    pending = new UpdateRequest();
    pendingDocs = 0;
    pendingBytes = 0;
    return taken;
  }

  private void sendAsync(UpdateRequest request) throws IOException {
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted waiting to write to SolrCloud");
    }
    try {
      senders.execute(
          () -> {
            try {
              send(request);
            } catch (IOException | RuntimeException e) {
              if (failure == null) {
                failure = e;
              }
            } finally {
              slots.release();
            }
          });
    } catch (RuntimeException e) {
      slots.release();
      throw e;
    }
  }

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
      if (failure == null) {
        failure = e;
      }
      throw e;
    }
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
