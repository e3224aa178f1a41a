package dev.quarry.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.quarry.Quarry;
import dev.quarry.search.Ranking;
import dev.quarry.search.Searcher;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The served index, open for search: opened when it exists (at start, after the first run has
 * committed, or on a request once it has appeared), refreshed to the last commit at most every
 * {@link #REFRESH_NANOS}, closed with the server. Thread-safe.
 */
final class ServedSession implements AutoCloseable {
  /**
   * A refresh lists the index's files, which costs more than answering from the cache (3,700 cached
   * answers a second against 43,000 for a trivial route when every request refreshed); a commit is
   * seen within this time.
   */
  private static final long REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** Opening is tried at most this often while it fails: requests do not pile attempts. */
  private static final long OPEN_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final IndexSource index;
  private final SearchServer.SessionOpener opener;
  private final Supplier<String> otherTrouble; // why the index may not be there (a failed run)

  /**
   * Query vectors by text: 384 floats each, so 10,000 are ~15 MB, and a repeated query saves a
   * model call (milliseconds) per search.
   */
  private final Cache<String, float[]> queryVectors =
      Caffeine.newBuilder().maximumSize(10_000).recordStats().build();

  private final Object openLock = new Object();
  private volatile Quarry.SearchSession session;
  private volatile Searcher searcher; // over the session, with the query-vector cache
  private volatile String openError;
  private volatile long lastOpenAttempt = System.nanoTime() - OPEN_RETRY_NANOS;

  private final Object refreshLock = new Object();
  private volatile long generation = -1;
  private volatile long refreshedAt;

  ServedSession(
      IndexSource index, SearchServer.SessionOpener opener, Supplier<String> otherTrouble) {
    this.index = index;
    this.opener = opener;
    this.otherTrouble = otherTrouble;
  }

  Cache<String, float[]> queryVectors() {
    return queryVectors;
  }

  boolean isOpen() {
    return session != null;
  }

  /** The session, or null while the index is not open. */
  Quarry.SearchSession current() {
    return session;
  }

  Searcher searcher() {
    return searcher;
  }

  /** Why the index could not be opened last; null when it could. */
  String openError() {
    return openError;
  }

  /** Opens the index when it is not open; a failure is kept for {@link #require}'s answer. */
  void open() {
    synchronized (openLock) {
      if (session != null) {
        return;
      }
      try {
        Quarry.SearchSession opened = opener.open();
        try {
          if (!opened.hasCommits()) {
            // Only the empty commit a writer makes on creating the index: its model is not named
            // yet, and a session opened now would serve no vectors once the run has committed.
            throw new IOException("no run has committed to the index yet");
          }
          searcher =
              new Searcher(
                  opened.store(),
                  opened.hasModel() ? new CachingQueryModel(opened.model(), queryVectors) : null,
                  Ranking.defaults());
        } catch (IOException | RuntimeException e) {
          opened.close();
          throw e;
        }
        session = opened;
        generation = -1;
        openError = null;
      } catch (IOException | RuntimeException e) {
        // Not searchable yet (a first run has committed nothing): /readyz stays 503 until a run
        // has committed.
        openError = e.getMessage();
      }
    }
  }

  /**
   * The open session; when there is none, opens it if the index has appeared since (a watching
   * server's first run has committed).
   *
   * @throws HttpError 503 while it cannot be opened, saying why
   */
  Quarry.SearchSession require() {
    Quarry.SearchSession open = openIfDue();
    if (open == null) {
      String why = whyNotOpen();
      throw new HttpError(
          503,
          "the index is not open yet"
              + (why == null ? "" : " (" + why + ")")
              + "; retry once /readyz answers 200",
          "Retry-After",
          "1");
    }
    return open;
  }

  /**
   * The open session; when there is none, opens it if the index has appeared since (a watching
   * server's first run has committed). Null while it cannot be opened ({@link #whyNotOpen}).
   */
  Quarry.SearchSession openIfDue() {
    Quarry.SearchSession open = session;
    if (open == null && openAttemptDue()) {
      open();
      open = session;
    }
    return open;
  }

  /** Why the index is not open: a failed run, the last opening's failure, or null. */
  String whyNotOpen() {
    String trouble = otherTrouble.get();
    return trouble != null ? trouble : openError;
  }

  private boolean openAttemptDue() {
    long now = System.nanoTime();
    if (now - lastOpenAttempt < OPEN_RETRY_NANOS) {
      return false;
    }
    lastOpenAttempt = now;
    try {
      return index.exists();
    } catch (IOException e) {
      openError = e.getMessage(); // a remote store out of reach: tried again later
      return false;
    }
  }

  /** The commit generation searches read now, refreshed at most every {@link #REFRESH_NANOS}. */
  long generation(Quarry.SearchSession open) throws IOException {
    if (generation < 0 || System.nanoTime() - refreshedAt > REFRESH_NANOS) {
      synchronized (refreshLock) {
        if (generation < 0 || System.nanoTime() - refreshedAt > REFRESH_NANOS) {
          open.refresh();
          generation = open.generation();
          refreshedAt = System.nanoTime();
        }
      }
    }
    return generation;
  }

  /**
   * Reads the last commit now, not up to {@link #REFRESH_NANOS} late: for {@code /v1/status}, whose
   * last commit must be the index's (an older commit's file may be gone already).
   */
  void refreshNow(Quarry.SearchSession open) throws IOException {
    synchronized (refreshLock) {
      open.refresh();
      generation = open.generation();
      refreshedAt = System.nanoTime();
    }
  }

  /** After a run of the server's own: the next search reads its last commit at once. */
  void afterRun() throws IOException {
    Quarry.SearchSession open = session;
    if (open == null) {
      open(); // the first run of a new index makes it searchable
    } else {
      open.refresh();
      generation = -1;
    }
  }

  @Override
  public void close() {
    synchronized (openLock) {
      if (session != null) {
        try {
          session.close();
        } catch (IOException e) {
          // Readers only: nothing to lose.
        }
        session = null;
      }
    }
  }
}
