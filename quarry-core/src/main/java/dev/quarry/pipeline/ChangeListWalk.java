package dev.quarry.pipeline;

import dev.quarry.changes.ChangeRequest;
import dev.quarry.scan.PathExaminer;
import dev.quarry.scan.PathVerdict;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The "walk" of a sync run: each listed path judged as the walk would judge it and reported to the
 * pipeline as the walk reports what it finds, plus removals (a listed file that must leave the
 * index) and rejections (a record that names nothing indexable, reported with its line).
 *
 * <p>A path listed twice (renamed, then modified) is reported once: two workers must never write
 * one file. The set of listed paths grows with the list (a change list, not a tree).
 */
final class ChangeListWalk {
  private final PathExaminer examiner;
  private final BatchingListener listener;
  private final Set<String> listed = new HashSet<>();

  ChangeListWalk(PathExaminer examiner, BatchingListener listener) {
    this.examiner = examiner;
    this.listener = listener;
  }

  void walk(Iterator<ChangeRequest> changes, BooleanSupplier cancelled) {
    while (changes.hasNext() && !cancelled.getAsBoolean()) {
      switch (changes.next()) {
        case ChangeRequest.Unparseable bad ->
            listener.onRejected(bad.text(), bad.where() + ": " + bad.reason());
        case ChangeRequest.PathChange change -> {
          for (PathVerdict verdict : examiner.examine(change.path())) {
            report(change, verdict);
          }
        }
      }
    }
  }

  private void report(ChangeRequest.PathChange change, PathVerdict verdict) {
    switch (verdict) {
      case PathVerdict.Present present -> {
        if (listed.add(present.file().path().toString())) {
          listener.onFile(present.file());
        }
      }
      case PathVerdict.Absent absent -> {
        String file = absent.root().resolve(absent.relativePath()).toString();
        if (listed.add(file)) {
          listener.onRemoval(
              new Removal(file, new FileOutcome.Deleted(absent.relativePath()), null));
        }
      }
      case PathVerdict.Skipped skipped -> {
        String file = skipped.root().resolve(skipped.relativePath()).toString();
        FileOutcome outcome = new FileOutcome.Skipped(skipped.relativePath(), skipped.reason());
        if (listed.add(file)) {
          listener.onRemoval(new Removal(file, outcome, outcome));
        }
      }
      case PathVerdict.Rejected rejected ->
          listener.onRejected(change.path(), change.where() + ": " + rejected.reason());
    }
  }
}
