package dev.quarry.cli;

import dev.quarry.server.SearchServer;
import dev.quarry.store.IndexBusyException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/** What the writing commands do about an index a {@code quarry serve} keeps live: leave it be. */
final class ServedIndex {
  private ServedIndex() {}

  /**
   * Fails (exit 4) when a live server keeps the index in {@code index}: it indexes changes itself,
   * and a second writer would only wait for its lock between the server's runs.
   */
  static void refuseIfServed(Path index) throws IndexBusyException {
    Optional<URI> server = SearchServer.runningFor(index);
    if (server.isPresent()) {
      throw new IndexBusyException(
          "the index at "
              + index
              + " is kept live by quarry serve at "
              + server.get()
              + ": it indexes changes itself (POST "
              + server.get().resolve("/v1/index")
              + " reconciles the roots now); stop the server to index from here",
          null);
    }
  }
}
