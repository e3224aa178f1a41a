package dev.quarry.pipeline;

import dev.quarry.changes.ChangeRequest;
import dev.quarry.index.QuarryIndex;
import dev.quarry.manifest.ManifestEntry;
import dev.quarry.manifest.ManifestSnapshot;
import dev.quarry.scan.PathExaminer;
import dev.quarry.scan.PathVerdict;
import dev.quarry.scan.ScannedFile;
import dev.quarry.store.IndexStore;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * What a sync would change, changing nothing ({@code quarry sync --dry-run}): each listed path
 * judged as the run would judge it, against the index's last commit. A file whose size or time
 * changed is read and hashed, so a touched but unchanged file shows as unchanged, as the run would
 * find it.
 */
public final class SyncPreview {
  /** What would happen to one path. */
  public enum Action {
    ADD,
    MODIFY,
    DELETE,
    UNCHANGED,
    SKIP,
    NOTHING,
    REJECT
  }

  /** One listed path's fate; {@code detail} says why (may be empty). */
  public record Planned(String where, String path, Action action, String detail) {}

  private SyncPreview() {}

  public static void preview(
      IndexOptions options, Iterator<ChangeRequest> changes, Consumer<Planned> out)
      throws IOException {
    try (QuarryIndex index = QuarryIndex.openForReading(options.indexDir())) {
      preview(index, options, changes, out);
    }
  }

  /** As {@link #preview(IndexOptions, Iterator, Consumer)}, against an opened store's manifest. */
  public static void preview(
      IndexStore index,
      IndexOptions options,
      Iterator<ChangeRequest> changes,
      Consumer<Planned> out)
      throws IOException {
    PathExaminer examiner = new PathExaminer(options.scan(), options.roots());
    try (ManifestSnapshot manifest = index.manifestSnapshot()) {
      while (changes.hasNext()) {
        switch (changes.next()) {
          case ChangeRequest.Unparseable bad ->
              out.accept(new Planned(bad.where(), bad.text(), Action.REJECT, bad.reason()));
          case ChangeRequest.PathChange change -> {
            for (PathVerdict verdict : examiner.examine(change.path())) {
              out.accept(plan(change, verdict, manifest));
            }
          }
        }
      }
    }
  }

  private static Planned plan(
      ChangeRequest.PathChange change, PathVerdict verdict, ManifestSnapshot manifest)
      throws IOException {
    String where = change.where();
    return switch (verdict) {
      case PathVerdict.Rejected r -> new Planned(where, change.path(), Action.REJECT, r.reason());
      case PathVerdict.Absent a -> {
        boolean indexed = manifest.slotOf(a.root().resolve(a.relativePath()).toString()) >= 0;
        String why = a.why() == null ? "gone from disk" : a.why();
        yield new Planned(
            where,
            a.relativePath(),
            indexed ? Action.DELETE : Action.NOTHING,
            indexed ? why : why + "; not in the index");
      }
      case PathVerdict.Skipped s -> {
        boolean indexed = manifest.slotOf(s.root().resolve(s.relativePath()).toString()) >= 0;
        yield new Planned(
            where,
            s.relativePath(),
            Action.SKIP,
            s.reason().description() + (indexed ? "; its chunks are removed" : ""));
      }
      case PathVerdict.Present p -> present(where, p.file(), manifest);
    };
  }

  private static Planned present(String where, ScannedFile file, ManifestSnapshot manifest)
      throws IOException {
    int slot = manifest.slotOf(IndexRun.fileId(file));
    if (slot < 0) {
      return new Planned(where, file.relativePath(), Action.ADD, "");
    }
    ManifestEntry entry = manifest.entry(slot);
    if (entry.size() == file.size() && entry.mtimeMillis() == file.mtimeMillis()) {
      return new Planned(where, file.relativePath(), Action.UNCHANGED, "");
    }
    boolean same =
        entry.contentHash().equals(FileProcessor.sha256(Files.readAllBytes(file.path())));
    return new Planned(
        where,
        file.relativePath(),
        same ? Action.UNCHANGED : Action.MODIFY,
        same ? "touched, same content" : "");
  }
}
