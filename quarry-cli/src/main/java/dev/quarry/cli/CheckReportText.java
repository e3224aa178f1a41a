package dev.quarry.cli;

import dev.quarry.check.CheckReport;
import dev.quarry.check.IndexChecker;
import dev.quarry.check.IndexProblem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A {@link CheckReport} for a person: counts, the first problems, and what to do about them. */
final class CheckReportText {
  /** Problems shown one by one; {@code --json} lists more. */
  static final int SHOWN_PROBLEMS = 20;

  private CheckReportText() {}

  static void print(CheckReport report, PrintWriter out) {
    out.println("index:    " + TerminalText.safe(report.index()));
    if (report.damaged()) {
      out.println("lucene:   DAMAGED");
      report.damage().forEach(line -> out.println("          " + TerminalText.safe(line)));
      printRebuild(report, out);
      return;
    }
    if (report.depth() != null) { // a remote store's engine checks its own files
      out.println(
          "lucene:   ok ("
              + (report.depth() == IndexChecker.Depth.STRUCTURES
                  ? "checksums and structures)"
                  : "checksums; --thorough decodes every structure too)"));
    }
    out.printf(
        Locale.ROOT,
        "files:    %,d%nchunks:   %,d%nvectors:  %,d%n",
        report.files(),
        report.chunks(),
        report.vectors());
    if (report.consistent()) {
      out.println("problems: none (every file's manifest entry and chunks agree)");
      return;
    }
    out.printf(
        Locale.ROOT,
        "problems: %,d in %,d files%n",
        report.problemCount(),
        report.inconsistentFiles());
    for (Map.Entry<IndexProblem.Kind, Long> kind : report.problemsByKind().entrySet()) {
      out.printf(
          Locale.ROOT,
          "  %,8d  %s (%s)%n",
          kind.getValue(),
          label(kind.getKey()),
          kind.getKey().description());
    }
    List<IndexProblem> shown =
        report.problems().subList(0, Math.min(SHOWN_PROBLEMS, report.problems().size()));
    for (IndexProblem problem : shown) {
      out.println(
          "  "
              + TerminalText.safe(problem.file())
              + ": "
              + label(problem.kind())
              + ": "
              + TerminalText.safe(problem.detail()));
    }
    if (report.problemCount() > shown.size()) {
      out.printf(
          Locale.ROOT,
          "  ... and %,d more (--json lists the first %d)%n",
          report.problemCount() - shown.size(),
          report.problems().size());
    }
    out.printf(
        Locale.ROOT,
        "to repair: 'quarry check --repair' removes these %,d files from the index,"
            + " then '%s' indexes them again%n",
        report.inconsistentFiles(),
        indexCommand(report));
  }

  /** The repair's outcome, after the check that found the problems was printed. */
  static void printRepair(long removed, CheckReport after, PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "repair:   removed %,d files from the index; the next '%s' indexes them again%n",
        removed,
        indexCommand(after));
    if (after.consistent()) {
      out.println("          the index is consistent now");
    } else {
      out.println("          the check after the repair still finds problems:");
      print(after, out);
    }
  }

  private static void printRebuild(CheckReport report, PrintWriter out) {
    out.println(
        "The index's files are damaged (Lucene's own check failed): 'quarry check --repair' cannot fix this.");
    out.println("Move the index aside and build it again:");
    out.println("  mv " + shellWord(report.index()) + " " + shellWord(aside(report).toString()));
    out.println("  " + indexCommand(report));
    if (report.roots().isEmpty()) {
      out.println(
          "(the damaged commit does not say which roots it holds: put them in place of ROOT...)");
    }
  }

  /**
   * Where to move a damaged index: next to it, or, when it is inside a root (the default
   * ROOT/.quarry), next to that root, since the rebuild would scan a copy left inside.
   */
  private static Path aside(CheckReport report) {
    Path dir = Path.of(report.index());
    for (String root : report.roots()) {
      Path rootPath = Path.of(root);
      if (dir.startsWith(rootPath) && rootPath.getParent() != null) {
        return rootPath.resolveSibling(rootPath.getFileName() + ".quarry-damaged");
      }
    }
    return dir.resolveSibling(dir.getFileName() + ".damaged");
  }

  /** How to index the report's roots into its index again. */
  private static String indexCommand(CheckReport report) {
    List<String> words = new ArrayList<>(List.of("quarry", "index"));
    List<String> roots = report.roots();
    // 'quarry index' puts the index in FIRST_ROOT/.quarry unless told otherwise.
    boolean defaultPlace =
        !roots.isEmpty()
            && Path.of(roots.get(0))
                .resolve(IndexLocator.DEFAULT_DIR_NAME)
                .equals(Path.of(report.index()));
    if (!defaultPlace) {
      words.add("--index");
      words.add(shellWord(report.index()));
    }
    if (roots.isEmpty()) {
      words.add("ROOT...");
    }
    roots.forEach(root -> words.add(shellWord(root)));
    return String.join(" ", words);
  }

  static String label(IndexProblem.Kind kind) {
    return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * {@code word} as a shell reads it back: quoted when it holds anything but plain path characters.
   */
  private static String shellWord(String word) {
    // A control character would be sent to the terminal inside the quotes: shown as an escape.
    return word.matches("[A-Za-z0-9_./:@%+=,-]+")
        ? word
        : "'" + TerminalText.safe(word).replace("'", "'\\''") + "'";
  }
}
