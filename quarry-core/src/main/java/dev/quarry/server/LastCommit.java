package dev.quarry.server;

import dev.quarry.Quarry;
import dev.quarry.index.QuarryIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FilterDirectory;

/**
 * The commit searches read now, for {@code /v1/status}: its generation (what search answers carry)
 * and when it was made.
 *
 * @param generation the commit generation (Lucene's; a remote store's, see {@link
 *     dev.quarry.store.StoreView#generation})
 * @param at when it was written (its {@code segments_N} file's time); null when not on a file
 *     system, or when a newer commit has already replaced it
 */
record LastCommit(long generation, Instant at) {

  /** The session's last commit; a remote store's has its generation only (no file to date). */
  static LastCommit of(Quarry.SearchSession session) throws IOException {
    if (session.store() instanceof QuarryIndex index) {
      return of(index);
    }
    return new LastCommit(session.generation(), null);
  }

  static LastCommit of(QuarryIndex index) throws IOException {
    IndexSearcher searcher = index.acquireSearcher();
    try {
      IndexCommit commit = ((DirectoryReader) searcher.getIndexReader()).getIndexCommit();
      Instant at = null;
      if (FilterDirectory.unwrap(commit.getDirectory()) instanceof FSDirectory fs) {
        try {
          at =
              Files.getLastModifiedTime(fs.getDirectory().resolve(commit.getSegmentsFileName()))
                  .toInstant();
        } catch (NoSuchFileException e) {
          // A newer commit came and Lucene deleted this one's file: the next status shows it.
        }
      }
      return new LastCommit(commit.getGeneration(), at);
    } finally {
      index.releaseSearcher(searcher);
    }
  }
}
