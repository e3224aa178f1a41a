package dev.quarry.solr;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.common.SolrException;

/**
 * Retries a request to SolrCloud on what passes (a node restarting, a leader being elected, a
 * timeout, 429 and 5xx answers), with exponential backoff and full jitter so that several writers
 * do not retry in step; never on what would fail again (a bad request, a version conflict).
 */
final class SolrRetry {
  /** A request that talks to Solr. */
  @FunctionalInterface
  interface Call<T> {
    T call() throws SolrServerException, IOException;
  }

  private final int attempts;
  private final long firstDelayMillis;
  private final long maxDelayMillis;

  SolrRetry(int attempts, long firstDelayMillis, long maxDelayMillis) {
    this.attempts = attempts;
    this.firstDelayMillis = firstDelayMillis;
    this.maxDelayMillis = maxDelayMillis;
  }

  /**
   * Up to about 25 s of retrying (half that on average, with the jitter): a node's restart, or a
   * leader election after one died; a cluster down for longer fails the run, which the next run
   * finishes.
   */
  static SolrRetry standard() {
    return new SolrRetry(8, 250, 8_000);
  }

  /**
   * Runs {@code call}, retrying what passes.
   *
   * @throws IOException naming {@code what} and the last failure when every attempt failed, or the
   *     failure that is not worth retrying
   */
  <T> T run(String what, Call<T> call) throws IOException {
    Exception last = null;
    for (int attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) {
        sleep(attempt);
      }
      try {
        return call.call();
      } catch (SolrServerException | IOException | SolrException | IllegalStateException e) {
        last = e;
        if (!retryable(e)) {
          break;
        }
      } catch (RuntimeException e) {
        // SolrJ wraps "no live nodes" and refreshing the cluster state in plain runtime exceptions.
        last = e;
      }
    }
    throw new IOException(what + ": " + message(last), last);
  }

  static boolean retryable(Throwable e) {
    if (refusedDocument(e)) {
      return false;
    }
    if (e instanceof SolrException s) {
      int code = code(s);
      return code == 429 || code >= 500 || code <= 0 || s.getCause() instanceof IOException;
    }
    return true;
  }

  /**
   * Whether Solr refused a document of the request: a 400, or its document error ("ERROR: [doc=ID]
   * ...", which it answers with a 500 for a value a field cannot take, such as a vector with NaN).
   * Sending it again would fail the same way.
   */
  static boolean refusedDocument(Throwable e) {
    if (code(e) == 400) {
      return true;
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null && cause.getMessage().contains("ERROR: [doc=")) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  /**
   * The status Solr answered: the innermost Solr exception's, since {@code CloudSolrClient} wraps a
   * shard's answer (a 400 for a document it refused) in a route exception of its own (500).
   */
  static int code(Throwable e) {
    int code = 0;
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SolrException solr) {
        code = solr.code();
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return code;
  }

  /** A message without SolrJ's boilerplate: the root cause's, which names what failed. */
  static String message(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String top = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (root == e || root.getMessage() == null || top.contains(root.getMessage())) {
      return top;
    }
    return top + " (" + root.getMessage() + ")";
  }

  private void sleep(int attempt) throws IOException {
    long cap = Math.min(maxDelayMillis, firstDelayMillis << Math.min(attempt - 1, 16));
    long delay = ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting to retry");
    }
  }
}
