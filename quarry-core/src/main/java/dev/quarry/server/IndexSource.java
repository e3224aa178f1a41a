package dev.quarry.server;

import dev.quarry.IndexStatus;
import dev.quarry.Quarry;
import dev.quarry.pipeline.RunReport;
import dev.quarry.store.RemoteStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a resident command's index lives: an embedded index's folder, or a remote store (a
 * SolrCloud collection). What the server reads of the index besides its searches (status, runs,
 * roots) goes through here, so that the routes do not care which it is.
 */
public sealed interface IndexSource {

  /** The embedded index in {@code dir}. */
  static IndexSource folder(Path dir) {
    return new Folder(dir);
  }

  /** The index in {@code store}; the caller closes the store after the server. */
  static IndexSource remote(RemoteStore store) {
    return new Remote(store);
  }

  /** Where it is, for people: the folder, or the store's location. */
  String location();

  /** Whether a writer has created it (it may hold no commit of a run yet). */
  boolean exists() throws IOException;

  /** Its roots, counts, model and last run. */
  IndexStatus status() throws IOException;

  /** Its runs, newest first, the one in progress first of all. */
  List<RunReport> runs() throws IOException;

  /** The roots its runs have recorded. */
  List<Path> roots() throws IOException;

  /**
   * The embedded index's folder (where {@code server.json} goes, and which the file tools never
   * read); empty for a remote store.
   */
  Optional<Path> folder();

  /** The embedded index in a folder. */
  record Folder(Path dir) implements IndexSource {
    public Folder {
      Objects.requireNonNull(dir, "dir");
    }

    @Override
    public String location() {
      return dir.toString();
    }

    @Override
    public boolean exists() {
      return Quarry.isIndex(dir);
    }

    @Override
    public IndexStatus status() throws IOException {
      return Quarry.status(dir);
    }

    @Override
    public List<RunReport> runs() throws IOException {
      return Quarry.runs(dir);
    }

    @Override
    public List<Path> roots() throws IOException {
      return Quarry.describe(dir).roots();
    }

    @Override
    public Optional<Path> folder() {
      return Optional.of(dir);
    }
  }

  /** An index in a remote store. */
  record Remote(RemoteStore store) implements IndexSource {
    public Remote {
      Objects.requireNonNull(store, "store");
    }

    @Override
    public String location() {
      return store.location();
    }

    @Override
    public boolean exists() throws IOException {
      return store.exists();
    }

    @Override
    public IndexStatus status() throws IOException {
      return Quarry.status(store);
    }

    @Override
    public List<RunReport> runs() throws IOException {
      return Quarry.runs(store);
    }

    @Override
    public List<Path> roots() throws IOException {
      return Quarry.describe(store).roots();
    }

    @Override
    public Optional<Path> folder() {
      return Optional.empty();
    }
  }
}
