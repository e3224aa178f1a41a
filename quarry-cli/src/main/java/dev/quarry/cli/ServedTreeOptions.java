package dev.quarry.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The roots and index of a resident command ({@code serve}, {@code mcp}): a picocli mixin. */
final class ServedTreeOptions {
  @Parameters(
      paramLabel = "ROOT",
      arity = "0..*",
      description = "Folders to index and serve (default: the roots of the index found from here).")
  List<Path> roots = new ArrayList<>();

  @Option(
      names = "--index",
      paramLabel = "DIR",
      description = "Index directory (default: FIRST_ROOT/.quarry, or the one found from here).")
  Path indexDir;
}
