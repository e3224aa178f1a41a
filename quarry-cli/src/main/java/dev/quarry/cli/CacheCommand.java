package dev.quarry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.cache.CacheSettings;
import dev.quarry.cache.DiskTier;
import dev.quarry.cache.TieredVectorCache;
import dev.quarry.config.QuarryConfig;
import dev.quarry.config.Setting;
import dev.quarry.config.Values;
import dev.quarry.index.IndexMetadata;
import dev.quarry.index.IndexMissingException;
import dev.quarry.index.QuarryIndex;
import dev.quarry.pipeline.CacheWarmer;
import dev.quarry.pipeline.RunSummaryJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code quarry cache stats|prune|warm}: the disk embedding cache shared by every index. */
@Command(name = "cache", description = "The embedding cache shared by all indexes: stats, prune, warm.",
    subcommands = {CacheCommand.Stats.class, CacheCommand.Prune.class, CacheCommand.Warm.class})
final class CacheCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  /** The {@code --cache-dir} option and the disk tier it names. */
  static final class Location {
    @Option(names = "--cache-dir", paramLabel = "DIR", description = "The cache folder (default: ~/.cache/quarry).")
    String cacheDir;

    /** The cache settings of the config file, the environment and {@code --cache-dir}. */
    CacheSettings settings() {
      QuarryConfig config = QuarryConfig.load(System.getenv());
      return (cacheDir == null ? config : config.with(Setting.CACHE_DIR, cacheDir, "--cache-dir")).cache();
    }

    static Path diskFile(CacheSettings settings) {
      return settings.diskFile().orElseThrow(
          () -> new IllegalArgumentException("the disk cache is off (cache-dir=off): nothing to show"));
    }
  }

  @Command(name = "stats", description = "Size and entries of the disk cache; the last run's hits per tier.")
  static final class Stats implements Callable<Integer> {
    @Mixin Location location;
    @Mixin IndexLocation index;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
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
      if (json) {
        System.out.println(Json.write(out));
        return ExitCodes.OK;
      }
      System.out.printf("disk cache %s%s%n", file, Files.exists(file) ? "" : " (empty: not created yet)");
      if (out.containsKey("bytesUsed")) {
        System.out.printf("  %s used of %s%n", Values.formatSize((Long) out.get("bytesUsed")),
            Values.formatSize((Long) out.get("maxBytes")));
        @SuppressWarnings("unchecked")
        Map<String, Long> entries = (Map<String, Long>) out.get("entriesByModel");
        entries.forEach((model, count) -> System.out.printf("  %,d vectors of %s%n", count, model));
      }
      if (lastRun != null) {
        System.out.println("last run of the index here, per tier:");
        for (JsonNode tier : lastRun.path("tiers")) {
          System.out.printf("  %-7s %,d lookups, %,d hits (%.1f%%), %,d writes, %d failures, %.2f ms a call%n",
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

  @Command(name = "prune", description = "Shrink the disk cache: to a size, or by dropping what was not used lately.")
  static final class Prune implements Callable<Integer> {
    @Mixin Location location;

    @Option(names = "--max-size", paramLabel = "SIZE", description = "Drop least recently used vectors down to this.")
    String maxSize;

    @Option(names = "--unused-for", paramLabel = "DURATION", description = "Drop vectors not used for this long (e.g. 30d).")
    String unusedFor;

    @Override
    public Integer call() {
      if (maxSize == null && unusedFor == null) {
        throw new IllegalArgumentException("say what to prune: --max-size SIZE and/or --unused-for DURATION");
      }
      CacheSettings settings = location.settings();
      Path file = Location.diskFile(settings);
      if (!Files.exists(file)) {
        System.out.println("disk cache " + file + " is empty: nothing to prune");
        return ExitCodes.OK;
      }
      try (DiskTier disk = DiskTier.open(file, settings.diskMaxBytes())) {
        long removed = 0;
        if (unusedFor != null) {
          removed += disk.pruneUnusedFor(Math.max(1, Values.parseDuration(unusedFor).toHours()));
        }
        if (maxSize != null) {
          removed += disk.evictIfOver(Values.parseSize(maxSize));
        }
        System.out.printf("removed %,d vectors; %s used%n", removed, Values.formatSize(disk.bytesUsed()));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "warm", description = "Copy an index's vectors into the disk cache (for other indexes of the same files).")
  static final class Warm implements Callable<Integer> {
    @Mixin Location location;
    @Mixin IndexLocation index;

    @Override
    public Integer call() throws Exception {
      CacheSettings settings = location.settings();
      if (settings.diskFile().isEmpty()) {
        throw new IllegalArgumentException("the disk cache is off (cache-dir=off): nothing to warm");
      }
      Path dir = index.locate();
      try (QuarryIndex open = QuarryIndex.openForReading(dir);
          TieredVectorCache cache = settings.open(w -> System.err.println("quarry: warning: " + w))) {
        long stored = CacheWarmer.warm(open, cache);
        System.out.printf("stored %,d vectors of %s in %s%n", stored, dir, settings.diskFile().get());
      }
      return ExitCodes.OK;
    }
  }
}
