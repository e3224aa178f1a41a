package dev.quarry.cli;

import dev.quarry.store.IndexBusyException;
import dev.quarry.store.IndexMissingException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --index DIR} option of commands that read an existing index (a picocli mixin). */
final class IndexLocation {
  @Option(
      names = "--index",
      paramLabel = "DIR",
      description =
          "Index directory, or a root holding .quarry (default: found from the current directory upwards).")
  Path indexDir;

  /**
   * The index the option names, or the one found from the working directory the way git finds .git.
   */
  Path locate() throws IndexMissingException, IndexBusyException {
    return IndexLocator.locate(indexDir, Path.of(""));
  }
}
