package dev.quarry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.cache.CacheSettings;
import dev.quarry.cache.DiskTier;
import dev.quarry.cache.TieredVectorCache;
import dev.quarry.config.Setting;
import dev.quarry.config.Values;
import dev.quarry.index.IndexMetadata;
import dev.quarry.index.IndexMissingException;
import dev.quarry.index.QuarryIndex;
import dev.quarry.pipeline.CacheWarmer;
import dev.quarry.pipeline.RunSummaryJson;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code quarry cache stats|prune|warm}: the disk embedding cache shared by every index. */
@Command(name = "cache", description = "The embedding cache shared by all indexes: stats, prune, warm.",
    subcommands = {CacheCommand.Stats.class, CacheCommand.Prune.class, CacheCommand.Warm.class})
final class CacheCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /**
   * The {@code --cache-dir} option and the disk tier it names: a mixin, whose option the command's
   * {@link SettingOptions.Install} adds ({@code @Command}: picocli takes only annotated classes as mixins).
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
      return settings.diskFile().orElseThrow(
          () -> new UsageException("the disk cache is off (cache-dir=off): nothing to show"));
    }
  }

  @Command(name = "stats", modelTransformer = SettingOptions.Install.class,
    description = "Size and entries of the disk cache; the last run's hits per tier.")
  static final class Stats implements Callable<Integer> {
    @Mixin Location location;
    @Mixin IndexLocation index;

    @Mixin JsonOption json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter stdout = spec.commandLine().getOut();
      CacheSettings settings = location.settings();
      Path file = Location.diskFile(settings);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("file", file.toString());
      out.put("exists", Files.exists(file));
      out.put("maxBytes", settings.diskMaxBytes());
      if (Files.exists(file)) {
        try (DiskTier disk = DiskTier.open(file, settings.diskMaxBytes())) {
          out.put("bytesUsed", disk.bytesUsed());
          out.put("entriesByModel", disk.entriesByModel());
        }
      }
      JsonNode lastRun = lastRunCacheStats();
      if (lastRun != null) {
        out.put("lastRun", lastRun);
      }
      if (json.enabled) {
        stdout.println(Json.write(out));
        return ExitCodes.OK;
      }
      stdout.printf("disk cache %s%s%n", file, Files.exists(file) ? "" : " (empty: not created yet)");
      if (out.containsKey("bytesUsed")) {
        stdout.printf("  %s used of %s%n", Values.formatSize((Long) out.get("bytesUsed")),
            Values.formatSize((Long) out.get("maxBytes")));
        @SuppressWarnings("unchecked")
        Map<String, Long> entries = (Map<String, Long>) out.get("entriesByModel");
        entries.forEach((model, count) -> stdout.printf("  %,d vectors of %s%n", count, model));
      }
      if (lastRun != null) {
        stdout.println("last run of the index here, per tier:");
        for (JsonNode tier : lastRun.path("tiers")) {
          stdout.printf("  %-7s %,d lookups, %,d hits (%.1f%%), %,d writes, %d failures, %.2f ms a call%n",
              tier.path("tier").asText(), tier.path("lookups").asLong(), tier.path("hits").asLong(),
              100 * tier.path("hitRate").asDouble(), tier.path("writes").asLong(), tier.path("failures").asLong(),
              tier.path("meanMillis").asDouble());
        }
      }
      return ExitCodes.OK;
    }

    /** The cache figures of the last run of the index found here, if there is one. */
    private JsonNode lastRunCacheStats() throws Exception {
      Path dir;
      try {
        dir = index.locate();
      } catch (IndexMissingException e) {
        return null;
      }
      try (QuarryIndex open = QuarryIndex.openForReading(dir)) {
        for (String report : RunSummaryJson.reports(open.commitData().get(IndexMetadata.RUNS))) {
          JsonNode run = new ObjectMapper().readTree(report);
          if (run.path("cache").size() > 0) {
            var node = new ObjectMapper().createObjectNode();
            node.put("index", dir.toString());
            node.put("run", run.path("id").asLong());
            node.set("tiers", run.path("cache"));
            return node;
          }
        }
      }
      return null;
    }
  }

  @Command(name = "prune", modelTransformer = SettingOptions.Install.class,
    description = "Shrink the disk cache: to a size, or by dropping what was not used lately.")
  static final class Prune implements Callable<Integer> {
    @Mixin Location location;

    @Option(names = "--max-size", paramLabel = "SIZE", converter = ValueConverters.Size.class,
        description = "Drop least recently used vectors down to this.")
    Long maxSize;

    @Option(names = "--unused-for", paramLabel = "DURATION", converter = ValueConverters.Duration.class,
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
      try (DiskTier disk = DiskTier.open(file, settings.diskMaxBytes())) {
        long removed = 0;
        if (unusedFor != null) {
          removed += disk.pruneUnusedFor(Math.max(1, unusedFor.toHours()));
        }
        if (maxSize != null) {
          removed += disk.evictIfOver(maxSize);
        }
        out.printf("removed %,d vectors; %s used%n", removed, Values.formatSize(disk.bytesUsed()));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "warm", modelTransformer = SettingOptions.Install.class,
    description = "Copy an index's vectors into the disk cache (for other indexes of the same files).")
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
      try (QuarryIndex open = QuarryIndex.openForReading(dir);
          TieredVectorCache cache = settings.open(w -> spec.commandLine().getErr().println("quarry: warning: " + w))) {
        long stored = CacheWarmer.warm(open, cache);
        spec.commandLine().getOut().printf("stored %,d vectors of %s in %s%n", stored, dir, settings.diskFile().get());
      }
      return ExitCodes.OK;
    }
  }
}
