package dev.quarry.pipeline;

import dev.quarry.store.IndexMetadata;
import dev.quarry.store.IndexStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A run's commits: what each commit's metadata says (layout version, roots, model, the run's report
 * and the run history) and when one is due (its {@link CommitPolicy}). Only the books' thread
 * commits.
 */
final class RunCommits {
  private final IndexStore store;
  private final CommitPolicy policy;
  private final PipelineMetrics metrics;
  private final List<Path> roots;

  /** The model whose vectors the run writes, or null for a lexical-only run. */
  private final String modelId;

  /** The commit data the run builds on (the last commit's, with the run history as claimed). */
  private final Map<String, String> base;

  /** The run history in {@link #base}, to which the run's report is prepended. */
  private final RunHistory history;

  private Consumer<IndexStore.RejectedFile> rejections = rejected -> {};

  RunCommits(
      IndexStore store,
      CommitPolicy policy,
      PipelineMetrics metrics,
      List<Path> roots,
      String modelId,
      RunIdentity identity) {
    this.store = store;
    this.policy = policy;
    this.metrics = metrics;
    this.roots = roots;
    this.modelId = modelId;
    this.base = identity.commitData();
    this.history = identity.history();
  }

  /** Where the files the store refused go, once a commit has answered every write. */
  void rejectionsTo(Consumer<IndexStore.RejectedFile> sink) {
    this.rejections = sink;
  }

  CommitPolicy policy() {
    return policy;
  }

  /** Commits if the policy says one is due; returns the nanoseconds it took (0: none was due). */
  long commitIfDue() throws IOException {
    if (!policy.due()) {
      return 0;
    }
    long start = System.nanoTime();
    commit(null);
    return System.nanoTime() - start;
  }

  /** Commits what is written, with {@code runReport} (a run's report, or null mid-run). */
  void commit(RunReport runReport) throws IOException {
    long start = System.nanoTime();
    policy.committing();
    store.commit(commitData(runReport));
    store.takeRejectedFiles().forEach(rejections);
    policy.committed();
    metrics.committed(System.nanoTime() - start);
  }

  /** Commits the run's changes when there are any (a run that changed nothing skips it). */
  void commitChanges() throws IOException {
    if (store.hasUncommittedChanges()) {
      commit(null);
    }
  }

  private Map<String, String> commitData(RunReport runReport) {
    Map<String, String> changes = new HashMap<>();
    changes.put(IndexMetadata.FORMAT, IndexMetadata.CURRENT_FORMAT);
    Set<String> allRoots = new TreeSet<>(IndexMetadata.roots(base));
    roots.forEach(r -> allRoots.add(r.toString()));
    changes.put(IndexMetadata.ROOTS, String.join("\n", allRoots));
    if (modelId != null) {
      changes.put(IndexMetadata.MODEL, modelId);
    }
    if (runReport != null) {
      changes.put(IndexMetadata.LAST_RUN, runReport.toJson());
      changes.put(
          IndexMetadata.RUNS, history.prepend(runReport, IndexMetadata.RUN_HISTORY).toJson());
    }
    return IndexMetadata.with(base, changes);
  }
}
