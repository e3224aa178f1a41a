package dev.quarry.pipeline;

import dev.quarry.manifest.ManifestSnapshot;
import dev.quarry.store.IndexStore;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The manifest of the last commit, loading on a thread of its own while the walk starts: workers
 * wait for it, the walk fills its queue meanwhile (a no-op run is mostly walk).
 */
final class ManifestLoad implements AutoCloseable {
  private final FutureTask<ManifestSnapshot> loading;

  private ManifestLoad(FutureTask<ManifestSnapshot> loading) {
    this.loading = loading;
  }

  static ManifestLoad start(IndexStore store) {
    FutureTask<ManifestSnapshot> task = new FutureTask<>(store::manifestSnapshot);
    Thread.ofPlatform().name("quarry-manifest").daemon().start(task);
    return new ManifestLoad(task);
  }

  /** The manifest, once loaded; a failure to load it is the run's failure. */
  ManifestSnapshot await() throws IOException, InterruptedException {
    try {
      return loading.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException("cannot load the manifest: " + e.getCause(), e.getCause());
    }
  }

  /** Closes the manifest once it has loaded (a load that failed left nothing to close). */
  @Override
  public void close() throws IOException {
    try {
      loading.get().close();
    } catch (ExecutionException e) {
      // Nothing was loaded; the run reported the failure.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
