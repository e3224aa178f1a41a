package dev.quarry.pipeline;

import dev.quarry.manifest.ManifestEntry;
import dev.quarry.manifest.ManifestSnapshot;
import dev.quarry.pipeline.Messages.EmbedMessage;
import dev.quarry.pipeline.Messages.WorkMessage;
import dev.quarry.store.IndexStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Stage 3, on the run's own thread: keeps the books of what the workers did (each file's outcome,
 * which indexed files were seen), hands files that still owe vectors to the embedder, commits on
 * the run's rhythm, and at the end of a complete walk removes the indexed files it did not see.
 */
final class Books {
  private final IndexStore store;
  private final ManifestLoad manifest;
  private final List<Path> roots;
  private final int workers;
  private final Ledger ledger;
  private final RunCommits commits;
  private final StageMeter meter;
  private final StageFailures failures;

  /** Where files that owe vectors go; null for a lexical-only run. */
  private final BoundedQueue<EmbedMessage> embedQueue;

  /** Manifest slots of the files this run found (still there, whatever their state). */
  private final BitSet seen = new BitSet();

  private final Set<String> skippedPaths = new HashSet<>();

  /** What the scan could not read, root-relative, by root: what was indexed there is kept. */
  private final Map<String, List<String>> unreadable = new HashMap<>();

  Books(
      IndexStore store,
      ManifestLoad manifest,
      List<Path> roots,
      int workers,
      Ledger ledger,
      RunCommits commits,
      StageMeter meter,
      StageFailures failures,
      BoundedQueue<EmbedMessage> embedQueue) {
    this.store = store;
    this.manifest = manifest;
    this.roots = roots;
    this.workers = workers;
    this.ledger = ledger;
    this.commits = commits;
    this.meter = meter;
    this.failures = failures;
    this.embedQueue = embedQueue;
  }

  /** Takes the workers' results until every worker has ended, committing on the run's rhythm. */
  void run(BoundedQueue<WorkMessage> in) throws IOException, InterruptedException {
    int ended = 0;
    while (ended < workers) {
      WorkMessage message = in.poll(1, TimeUnit.SECONDS);
      failures.rethrow();
      switch (message) {
        case null -> {}
        case WorkMessage.WorkerEnded end -> ended++;
        case WorkMessage.Done done -> {
          for (WorkResult result : done.batch().items()) {
            apply(result);
          }
        }
      }
      commitIfDue();
    }
  }

  /** Waits for {@code stage} to end, committing on the run's rhythm meanwhile. */
  void awaitCommitting(Thread stage) throws IOException, InterruptedException {
    while (stage.isAlive()) {
      stage.join(100);
      failures.rethrow();
      commitIfDue();
    }
  }

  /** No more files will owe vectors. */
  void endEmbedding() throws IOException, InterruptedException {
    failures.put(embedQueue, new EmbedMessage.NoMoreFiles());
  }

  private void commitIfDue() throws IOException {
    meter.busy(commits.commitIfDue());
  }

  private void apply(WorkResult result) throws IOException, InterruptedException {
    switch (result) {
      case ScanReport report -> {
        if (report.unreadableUnder() != null) {
          unreadable
              .computeIfAbsent(report.unreadableUnder(), r -> new ArrayList<>())
              .add(report.outcome().path());
        } else {
          skippedPaths.add(report.outcome().path());
        }
        ledger.record(report.outcome());
      }
      case WorkResult.Processed processed -> {
        long start = System.nanoTime();
        apply(processed);
        meter.record(System.nanoTime() - start);
      }
    }
  }

  private void apply(WorkResult.Processed processed) throws IOException, InterruptedException {
    if (processed.slot() >= 0) {
      seen.set(processed.slot()); // its fate is decided, whatever it is
    }
    switch (processed.work()) {
      case FileWork.Unchanged u -> ledger.record(u.outcome());
      case FileWork.NotIndexed n ->
          ledger.record(n.outcome()); // a vanished file's chunks went in the worker
      case FileWork.Chunked c -> {
        TextWriter.Written written = processed.written();
        if (written.pending() != null) {
          ledger.owed(written.pending().owed());
          failures.put(embedQueue, written.pending());
        } else {
          ledger.chunksWritten(written.chunks(), written.reused());
          ledger.record(
              new FileOutcome.Indexed(
                  written.entry().path(), written.chunks(), 0, written.reused()));
        }
      }
    }
  }

  /**
   * Removes files that were indexed under this run's roots and were not seen: deleted, renamed
   * away, newly ignored. Files under a directory the scan could not read are kept: unreadable is
   * not gone. A file the scan now skips (grown past the cap, replaced by a link) is removed without
   * a second outcome: it already has its skip. Call only after a complete walk.
   */
  void deleteVanished() throws IOException, InterruptedException {
    ManifestSnapshot snapshot = manifest.await();
    Set<String> runRoots = new HashSet<>();
    roots.forEach(r -> runRoots.add(r.toString()));
    for (int slot = seen.nextClearBit(0);
        slot < snapshot.size();
        slot = seen.nextClearBit(slot + 1)) {
      if (!runRoots.contains(snapshot.root(slot))) {
        continue;
      }
      ManifestEntry entry = snapshot.entry(slot);
      if (underAny(entry.path(), unreadable.getOrDefault(snapshot.root(slot), List.of()))) {
        continue;
      }
      store.deleteFile(entry.file());
      if (!skippedPaths.contains(entry.path())) {
        ledger.record(new FileOutcome.Deleted(entry.path()));
      }
    }
  }

  private static boolean underAny(String path, List<String> dirs) {
    for (String dir : dirs) {
      if (dir.equals(".") || path.equals(dir) || path.startsWith(dir + "/")) {
        return true;
      }
    }
    return false;
  }
}
