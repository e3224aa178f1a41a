package dev.quarry.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.quarry.EmbeddingCache;
import dev.quarry.Quarry;
import dev.quarry.cache.CacheSettings;
import dev.quarry.config.Setting;
import dev.quarry.config.Values;
import dev.quarry.pipeline.RunReport;
import dev.quarry.store.IndexMissingException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code quarry cache stats|prune|warm}: the disk embedding cache shared by every index. */
@Command(
    name = "cache",
    description = "The embedding cache shared by all indexes: stats, prune, warm.",
    subcommands = {CacheCommand.Stats.class, CacheCommand.Prune.class, CacheCommand.Warm.class})
final class CacheCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /**
   * The {@code --cache-dir} option and the disk tier it names: a mixin, whose option the command's
   * {@link SettingOptions.Install} adds ({@code @Command}: picocli takes only annotated classes as
   * mixins).
   */
  @Command
  static final class Location implements SettingOptions.Taker {
    private final SettingOptions cacheDir = SettingOptions.of(Setting.CACHE_DIR);

    @Override
    public SettingOptions settingOptions() {
      return cacheDir;
    }

    /** The cache settings of the config file, the environment and {@code --cache-dir}. */
    CacheSettings settings() {
      return cacheDir.load(System.getenv()).cache();
    }

    static Path diskFile(CacheSettings settings) {
      return settings
          .diskFile()
          .orElseThrow(
              () -> new UsageException("the disk cache is off (cache-dir=off): nothing to show"));
    }
  }

  @Command(
      name = "stats",
      modelTransformer = SettingOptions.Install.class,
      description = "Size and entries of the disk cache; the last run's hits per tier.")
  static final class Stats implements Callable<Integer> {
    @Mixin Location location;
    @Mixin IndexLocation index;

    @Mixin JsonOption json;

    @Spec CommandSpec spec;

    /**
     * What {@code cache stats --json} prints.
     *
     * @param bytesUsed null (left out) while the cache file does not exist
     * @param entriesByModel vectors held for each model identity; null (left out) likewise
     * @param lastRun the cache figures of the last run that used the cache, of the index found
     *     here; null (left out) when there is none
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CacheStats(
        String file,
        boolean exists,
        long maxBytes,
        Long bytesUsed,
        Map<String, Long> entriesByModel,
        LastRun lastRun) {}

    /**
     * @param run the id of the run whose figures these are
     */
    record LastRun(String index, long run, List<RunReport.CacheTier> tiers) {}

    @Override
    public Integer call() throws Exception {
      PrintWriter stdout = spec.commandLine().getOut();
      CacheSettings settings = location.settings();
      Location.diskFile(settings); // the disk cache must be on
      EmbeddingCache.DiskStats disk = Quarry.cache(settings).diskStats();
      CacheStats stats =
          new CacheStats(
              disk.file().toString(),
              disk.exists(),
              disk.maxBytes(),
              disk.bytesUsed(),
              disk.entriesByModel(),
              lastRunCacheStats());
      if (json.enabled) {
        stdout.println(Json.write(stats));
        return ExitCodes.OK;
      }
      stdout.printf(
          "disk cache %s%s%n", disk.file(), disk.exists() ? "" : " (empty: not created yet)");
      if (stats.bytesUsed() != null) {
        stdout.printf(
            "  %s used of %s%n",
            Values.formatSize(stats.bytesUsed()), Values.formatSize(stats.maxBytes()));
        stats
            .entriesByModel()
            .forEach((model, count) -> stdout.printf("  %,d vectors of %s%n", count, model));
      }
      if (stats.lastRun() != null) {
        stdout.println("last run of the index here, per tier:");
        for (RunReport.CacheTier tier : stats.lastRun().tiers()) {
          stdout.printf(
              "  %-7s %,d lookups, %,d hits (%.1f%%), %,d writes, %d failures, %d rejected,"
                  + " %.2f ms a call%n",
              tier.tier(),
              tier.lookups(),
              tier.hits(),
              100 * tier.hitRate(),
              tier.writes(),
              tier.failures(),
              tier.rejected(),
              tier.meanMillis());
        }
      }
      return ExitCodes.OK;
    }

    /** The cache figures of the last run of the index found here, if there is one. */
    private LastRun lastRunCacheStats() throws Exception {
      Path dir;
      try {
        dir = index.locate();
      } catch (IndexMissingException e) {
        return null;
      }
      for (RunReport run : Quarry.runs(dir)) {
        if (run.cache() != null && !run.cache().isEmpty()) {
          return new LastRun(dir.toString(), run.id() == null ? 0 : run.id(), run.cache());
        }
      }
      return null;
    }
  }

  @Command(
      name = "prune",
      modelTransformer = SettingOptions.Install.class,
      description = "Shrink the disk cache: to a size, or by dropping what was not used lately.")
  static final class Prune implements Callable<Integer> {
    @Mixin Location location;

    @Option(
        names = "--max-size",
        paramLabel = "SIZE",
        converter = ValueConverters.Size.class,
        description = "Drop least recently used vectors down to this.")
    Long maxSize;

    @Option(
        names = "--unused-for",
        paramLabel = "DURATION",
        converter = ValueConverters.Duration.class,
        description = "Drop vectors not used for this long (e.g. 30d).")
    Duration unusedFor;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      if (maxSize == null && unusedFor == null) {
        throw new UsageException("say what to prune: --max-size SIZE and/or --unused-for DURATION");
      }
      PrintWriter out = spec.commandLine().getOut();
      CacheSettings settings = location.settings();
      Path file = Location.diskFile(settings);
      if (!Files.exists(file)) {
        out.println("disk cache " + file + " is empty: nothing to prune");
        return ExitCodes.OK;
      }
      EmbeddingCache.Pruned pruned = Quarry.cache(settings).prune(maxSize, unusedFor);
      out.printf(
          "removed %,d vectors; %s used%n",
          pruned.removed(), Values.formatSize(pruned.bytesUsed()));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "warm",
      modelTransformer = SettingOptions.Install.class,
      description =
          "Copy an index's vectors into the disk cache (for other indexes of the same files).")
  static final class Warm implements Callable<Integer> {
    @Mixin Location location;
    @Mixin IndexLocation index;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      CacheSettings settings = location.settings();
      if (settings.diskFile().isEmpty()) {
        throw new UsageException("the disk cache is off (cache-dir=off): nothing to warm");
      }
      Path dir = index.locate();
      long stored =
          Quarry.cache(settings)
              .warm(dir, w -> spec.commandLine().getErr().println("quarry: warning: " + w));
      spec.commandLine()
          .getOut()
          .printf("stored %,d vectors of %s in %s%n", stored, dir, settings.diskFile().get());
      return ExitCodes.OK;
    }
  }
}
