package dev.quarry.watch;

import java.nio.file.Path;
import java.util.Set;

/**
 * What a {@link TreeWatcher} tells its listener: paths that may have changed, or that it lost
 * track.
 */
public sealed interface WatchEvent {

  /**
   * Absolute paths that may have changed since the last event: files created, modified or deleted,
   * and directories deleted or renamed away (whose indexed files must go too). The disk decides
   * what each means when it is synced. Never empty.
   */
  record Changed(Set<Path> paths) implements WatchEvent {
    public Changed {
      paths = Set.copyOf(paths);
      if (paths.isEmpty()) {
        throw new IllegalArgumentException("a Changed event names at least one path");
      }
    }
  }

  /**
   * The watcher cannot say which paths changed (the kernel dropped events, a root went away, ignore
   * rules changed): only a walk of the roots brings the index up to date. {@code why} is for
   * people.
   */
  record ReconcileNeeded(String why) implements WatchEvent {}
}
