package dev.quarry.cli;

import dev.quarry.IndexDescription;
import dev.quarry.Quarry;
import dev.quarry.changes.ChangeRequest;
import dev.quarry.config.QuarryConfig;
import dev.quarry.config.Setting;
import dev.quarry.pipeline.FileOutcome;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.pipeline.RunAssembler;
import dev.quarry.pipeline.RunListener;
import dev.quarry.pipeline.RunReport;
import dev.quarry.pipeline.RunSummary;
import dev.quarry.pipeline.SyncPreview;
import dev.quarry.store.RemoteStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "sync",
    modelTransformer = SettingOptions.Install.class,
    description = {
      "Apply a change list instead of scanning: only the listed paths are looked at.",
      "Each line is a path (relative to the index's root, or absolute inside it) or a line of "
          + "`git diff --name-status` (A, M, D, T, R/C with score); -z reads NUL-separated records "
          + "(`git diff --name-status -z`, `find -print0`).",
      "The disk decides: a listed file is indexed (or found unchanged), a missing or ignored one leaves the index.",
      "Example: git diff --name-status HEAD~1 | quarry sync --stdin",
      "Exit: 0 all lines applied, 1 some failed (each reported with its line), 2 usage error, 130 interrupted."
    })
final class SyncCommand implements Callable<Integer>, SettingOptions.Taker {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin IndexLocation location;

  @Option(names = "--stdin", description = "Read the change list from standard input.")
  boolean stdin;

  @Option(names = "-z", description = "Records are NUL-separated (git -z output, find -print0).")
  boolean nul;

  @Option(names = "--dry-run", description = "Print what would change; change nothing.")
  boolean dryRun;

  @Option(
      names = {"-v", "--verbose"},
      description = "Print each action as it is applied.")
  boolean verbose;

  @Mixin OutputOptions output;

  /** Where vectors come from; the model is the index's, everything else from the environment. */
  private final SettingOptions settings = SettingOptions.of(Setting.EMBEDDER);

  @Override
  public SettingOptions settingOptions() {
    return settings;
  }

  /** Set by {@link #optionsFor}: where vectors come from. */
  private dev.quarry.embed.EmbedderSpec embedderSpec = dev.quarry.embed.EmbedderSpec.local();

  @Override
  public Integer call() throws Exception {
    if (!stdin) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "sync reads its change list from standard input: give --stdin (e.g. git diff --name-status HEAD~1 | quarry sync --stdin)");
    }
    Optional<RemoteStore> remote = location.remote();
    if (remote.isPresent()) {
      try (RemoteStore store = remote.get()) {
        IndexDescription index = Quarry.describe(store);
        if (index.roots().isEmpty()) {
          throw new UsageException(
              store.location() + " has no roots yet: run quarry index ROOT --store ... first");
        }
        // The options' folder is unused: the run writes into the store.
        IndexOptions options = optionsFor(index, index.roots().get(0).resolve(".quarry"));
        Iterator<ChangeRequest> changes = changes(options);
        return dryRun
            ? preview(changes, (c, out) -> Quarry.previewSync(store, options, c, out))
            : apply(Quarry.run(options).into(store), changes, store.location());
      }
    }
    Path dir = location.locate();
    IndexOptions options = optionsFor(dir);
    Iterator<ChangeRequest> changes = changes(options);
    if (!dryRun) {
      ServedIndex.refuseIfServed(dir);
    }
    return dryRun
        ? preview(changes, (c, out) -> Quarry.previewSync(options, c, out))
        : apply(Quarry.run(options), changes, dir.toString());
  }

  private Iterator<ChangeRequest> changes(IndexOptions options) throws java.io.IOException {
    return Quarry.changeList(
        nul ? ChangeListInput.nulSeparated(System.in, options.roots()) : System.in, nul);
  }

  /**
   * The index's own roots and model; everything else from the config file, environment and
   * defaults.
   */
  private IndexOptions optionsFor(Path dir) throws Exception {
    IndexDescription index = Quarry.describe(dir);
    if (index.roots().isEmpty()) {
      // A first run records its roots at its first commit: until then it is what is in the way
      // (named, exit 4, as for any locked index), not the user.
      Quarry.requireNoRunInProgress(dir);
      throw new UsageException("index " + dir + " has no roots yet: run quarry index ROOT first");
    }
    return optionsFor(index, dir);
  }

  private IndexOptions optionsFor(IndexDescription index, Path dir) {
    QuarryConfig config = settings.load(System.getenv());
    if (index.modelName().isPresent()) {
      config = config.with(Setting.MODEL, index.modelName().get(), "the index");
    }
    embedderSpec = config.embedder();
    return config.indexOptions(index.roots(), dir, index.hasVectors());
  }

  private int apply(RunAssembler run, Iterator<ChangeRequest> changes, String index)
      throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ProgressPrinter progress = new ProgressPrinter(err, Terminal.isInteractive());
    List<RunOutput.Action> actions = Collections.synchronizedList(new ArrayList<>());
    RunListener listener =
        new RunListener() {
          @Override
          public void onOutcome(FileOutcome outcome) {
            if (output.progress()) {
              progress.onOutcome(outcome);
            }
            if (verbose) {
              RunOutput.Action action = action(outcome);
              if (output.json()) {
                actions.add(action);
              } else {
                out.println(
                    action.action()
                        + " "
                        + TerminalText.safe(action.path())
                        + (action.detail().isEmpty()
                            ? ""
                            : ": " + TerminalText.safe(action.detail())));
              }
            }
          }

          @Override
          public void onEmbedded(int count) {
            if (output.progress()) {
              progress.onEmbedded(count);
            }
          }

          @Override
          public void onWarning(String message) {
            progress.onWarning(message); // even with -q or --json: a degraded cache is worth a line
          }

          @Override
          public void onQueuedForEmbedding(int count) {
            if (output.progress()) {
              progress.onQueuedForEmbedding(count);
            }
          }
        };
    try (GracefulStop stop = new GracefulStop(err)) {
      RunSummary summary =
          run.embedder(embedderSpec).listener(listener).control(stop.control()).sync(changes);
      progress.finish();
      if (output.json()) {
        out.println(
            Json.write(
                new RunOutput(
                    RunReport.of(summary), index, verbose ? List.copyOf(actions) : null)));
      } else {
        IndexCommand.printSummary(out, summary, index);
      }
      return IndexCommand.exitCode(summary, stop);
    }
  }

  private static RunOutput.Action action(FileOutcome outcome) {
    String detail =
        switch (outcome) {
          case FileOutcome.Indexed i -> i.chunks() + " chunks";
          case FileOutcome.Skipped s -> s.reason().description();
          case FileOutcome.Failed f -> f.cause();
          default -> "";
        };
    return new RunOutput.Action(
        outcome.getClass().getSimpleName().toLowerCase(Locale.ROOT), outcome.path(), detail);
  }

  /** What {@code sync --dry-run --json} prints: the planned actions counted, then each change. */
  record DryRun(boolean dryRun, Map<String, Integer> counts, List<PlannedChange> changes) {}

  /**
   * @param where the change list's line (or record) the path came from
   */
  record PlannedChange(String where, String path, String action, String detail) {}

  /** Previews a change list against one index (the embedded one, or a store's). */
  @FunctionalInterface
  private interface Previewer {
    void preview(Iterator<ChangeRequest> changes, Consumer<SyncPreview.Planned> out)
        throws java.io.IOException;
  }

  private int preview(Iterator<ChangeRequest> changes, Previewer previewer) throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<PlannedChange> planned = new ArrayList<>();
    Map<SyncPreview.Action, Integer> counts = new java.util.EnumMap<>(SyncPreview.Action.class);
    previewer.preview(
        changes,
        p -> {
          counts.merge(p.action(), 1, Integer::sum);
          if (output.json()) {
            planned.add(
                new PlannedChange(
                    p.where(), p.path(), p.action().name().toLowerCase(Locale.ROOT), p.detail()));
          } else if (p.action() != SyncPreview.Action.NOTHING || verbose) {
            String action = p.action().name().toLowerCase(Locale.ROOT);
            out.println(
                TerminalText.safe(
                    p.action() == SyncPreview.Action.REJECT
                        ? "bad " + p.where() + ": " + p.path() + ": " + p.detail()
                        : action
                            + " "
                            + p.path()
                            + (p.detail().isEmpty() ? "" : " (" + p.detail() + ")")));
          }
        });
    Map<String, Integer> totals = new LinkedHashMap<>();
    counts.forEach((action, n) -> totals.put(action.name().toLowerCase(Locale.ROOT), n));
    if (output.json()) {
      out.println(Json.write(new DryRun(true, totals, planned)));
    } else {
      out.println("dry run, nothing changed: " + (totals.isEmpty() ? "no paths" : totals));
    }
    return counts.getOrDefault(SyncPreview.Action.REJECT, 0) > 0 ? ExitCodes.PARTIAL : ExitCodes.OK;
  }
}
