package dev.quarry;

import dev.quarry.changes.Framing;
import dev.quarry.embed.EmbeddingModel;
import dev.quarry.index.CheckReport;
import dev.quarry.index.IndexChecker;
import dev.quarry.index.IndexInventory;
import dev.quarry.index.QuarryIndex;
import dev.quarry.pipeline.ChangeLists;
import dev.quarry.pipeline.ChangeRequest;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.pipeline.RunAssembler;
import dev.quarry.pipeline.SyncPreview;
import dev.quarry.search.Searcher;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * The library's front door: every operation on an index goes through here, so the CLI, the server
 * and any program embedding Quarry use the same engine the same way.
 *
 * <pre>
 *   RunSummary run = Quarry.run(options).listener(progress).control(stop).index();
 *   try (Quarry.SearchSession session = Quarry.search(indexDir).open()) {
 *     List&lt;SearchHit&gt; hits = session.searcher().search(SearchRequest.of("retry policy", 10, SearchMode.HYBRID));
 *   }
 * </pre>
 *
 * Thread-safety: the static operations are; a {@link SearchSession} is, for searches.
 */
public final class Quarry {
  private Quarry() {}

  /**
   * A run over {@code options.roots()} into {@code options.indexDir()}, to configure and start:
   * {@code .index()} walks the roots, {@code .sync(changes)} applies a change list.
   */
  public static RunAssembler run(IndexOptions options) {
    return RunAssembler.of(options);
  }

  /** An index to open for search, to configure and {@code open()}. */
  public static SearchSessionBuilder search(Path indexDir) {
    return new SearchSessionBuilder(indexDir);
  }

  /** What the index in {@code indexDir} says of itself: its roots and model. */
  public static IndexDescription describe(Path indexDir) throws IOException {
    try (QuarryIndex index = QuarryIndex.openForReading(indexDir)) {
      return IndexDescription.of(indexDir, index.commitData());
    }
  }

  /** A change list read from {@code in}: lines ({@code git diff --name-status} or paths), or NUL-separated. */
  public static Iterator<ChangeRequest> changeList(InputStream in, boolean nulSeparated) {
    return ChangeLists.requests(in, nulSeparated ? Framing.NUL : Framing.LINES);
  }

  /** What a sync of {@code changes} would do, one planned action at a time; changes nothing. */
  public static void previewSync(IndexOptions options, Iterator<ChangeRequest> changes,
      Consumer<SyncPreview.Planned> out) throws IOException {
    SyncPreview.preview(options, changes, out);
  }

  /** Visits every file of the index's last commit, in path order, streaming; returns how many. */
  public static long files(Path indexDir, IndexInventory.Visitor visitor) throws IOException {
    try (QuarryIndex index = QuarryIndex.openForReading(indexDir)) {
      return IndexInventory.forEachFile(index, visitor);
    }
  }

  /** Checks the index: Lucene's own check at {@code depth}, then manifest against chunks. */
  public static CheckReport check(Path indexDir, IndexChecker.Depth depth) throws IOException {
    return IndexChecker.check(indexDir, depth);
  }

  /** Removes the files whose manifest and chunks disagree; the next run indexes them again. */
  public static long repair(Path indexDir) throws IOException {
    return IndexChecker.repair(indexDir);
  }

  /** The model name in a {@code ModelIdentity.id()}. */
  public static String modelNameOf(String modelId) {
    int at = modelId.indexOf('@');
    return at < 0 ? modelId : modelId.substring(0, at);
  }

  /** An open index, its model (may be null) and a searcher over them. Close it when done. */
  public record SearchSession(QuarryIndex index, EmbeddingModel model, Searcher searcher) implements Closeable {
    public boolean hasModel() {
      return model != null;
    }

    @Override
    public void close() throws IOException {
      try {
        if (model != null) {
          model.close();
        }
      } finally {
        index.close();
      }
    }
  }
}
