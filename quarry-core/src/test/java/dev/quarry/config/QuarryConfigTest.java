package dev.quarry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.cache.CacheSettings;
import dev.quarry.chunk.ChunkerKind;
import dev.quarry.pipeline.IndexOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuarryConfigTest {
  @TempDir Path dir;

  @Test
  void laterLayersWinAndEachValueKnowsItsSource() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("quarry.properties"),
            "workers = 3\nbatch-size=16\nmax-file-size=1MiB\ncommit-interval=30s\n");
    Map<String, String> env =
        Map.of(
            "QUARRY_CONFIG", file.toString(),
            "QUARRY_WORKERS", "5",
            "QUARRY_HEAP", "2g"); // the launcher's variable: not a setting, ignored

    QuarryConfig config = QuarryConfig.load(env).with(Setting.BATCH_SIZE, "8", "--batch-size");

    assertThat(config.workers()).isEqualTo(5);
    assertThat(config.source(Setting.WORKERS)).isEqualTo("environment QUARRY_WORKERS");
    assertThat(config.batchSize()).isEqualTo(8);
    assertThat(config.source(Setting.BATCH_SIZE)).isEqualTo("--batch-size");
    assertThat(config.maxFileSize()).isEqualTo(1L << 20);
    assertThat(config.source(Setting.MAX_FILE_SIZE)).isEqualTo("config file " + file);
    assertThat(config.commitInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.source(Setting.THREADS)).isEqualTo("default");
  }

  @Test
  void theUsersConfigDirectoryIsReadWhenNoFileIsNamed() throws IOException {
    Files.createDirectories(dir.resolve("quarry"));
    Files.writeString(
        dir.resolve("quarry/config.properties"), "follow-symlinks=yes\nscan-threads=1\n");

    QuarryConfig config = QuarryConfig.load(Map.of("XDG_CONFIG_HOME", dir.toString()));

    assertThat(config.followSymlinks()).isTrue();
    assertThat(config.scanThreads()).isEqualTo(1);
    assertThat(
            QuarryConfig.load(Map.of("XDG_CONFIG_HOME", dir.resolve("elsewhere").toString()))
                .followSymlinks())
        .isFalse();
  }

  @Test
  void theChunkerIsLinesByDefaultAndSyntaxWhenSetAndReachesTheRunOptions() {
    assertThat(QuarryConfig.defaults().chunker()).isEqualTo(ChunkerKind.LINES);
    QuarryConfig config = QuarryConfig.load(Map.of("QUARRY_CHUNKER", "syntax"));
    assertThat(config.chunker()).isEqualTo(ChunkerKind.SYNTAX);
    assertThat(config.display(Setting.CHUNKER)).isEqualTo("syntax");
    assertThat(config.indexOptions(List.of(dir), dir.resolve(".quarry"), false).chunker())
        .isEqualTo(ChunkerKind.SYNTAX);
    assertThatThrownBy(() -> QuarryConfig.defaults().with(Setting.CHUNKER, "ast", "--chunker"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--chunker: chunker: unknown chunker 'ast'; one of: lines, syntax");
  }

  @Test
  void badValuesAreRejectedNamingTheSettingTheValueAndTheSource() throws IOException {
    Path file = Files.writeString(dir.resolve("bad.properties"), "workers=lots\n");
    assertThatThrownBy(() -> QuarryConfig.load(Map.of("QUARRY_CONFIG", file.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "config file " + file + ": workers: 'lots' is not a whole number of at least 1");

    assertThatThrownBy(() -> QuarryConfig.load(Map.of("QUARRY_MAX_FILE_SIZE", "4 parsecs")))
        .hasMessageStartingWith(
            "environment QUARRY_MAX_FILE_SIZE: max-file-size: '4 parsecs' is not a size");
    assertThatThrownBy(() -> QuarryConfig.defaults().with(Setting.WORKERS, "0", "--workers"))
        .hasMessage("--workers: workers: '0' is not a whole number of at least 1");
    assertThatThrownBy(() -> QuarryConfig.defaults().with(Setting.MODEL, "gpt-9", "--model"))
        .hasMessageContaining("--model: model: unknown embedding model 'gpt-9'");
    assertThatThrownBy(
            () -> QuarryConfig.defaults().with(Setting.COMMIT_INTERVAL, "0s", "--commit-interval"))
        .hasMessageContaining("duration must be positive");
  }

  // Issue 11, item 5: QUARRY_WORKERS=100000 started ~36,000 threads and exhausted the host's limit.
  @Test
  @Tag("hostile")
  void threadSettingsAreBoundedSoNoValueCanExhaustTheHostsThreads() {
    int max = Values.maxThreads();
    assertThat(max).isBetween(8, 4 * Math.max(2, Runtime.getRuntime().availableProcessors()));
    for (Setting setting : List.of(Setting.WORKERS, Setting.THREADS, Setting.SCAN_THREADS)) {
      String variable = setting.environmentVariable();
      assertThatThrownBy(() -> QuarryConfig.load(Map.of(variable, "100000")))
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith(
              "environment "
                  + variable
                  + ": "
                  + setting.key()
                  + ": '100000' is more than the limit of "
                  + max
                  + " threads");
      assertThat(QuarryConfig.defaults().with(setting, String.valueOf(max), "--x").value(setting))
          .isEqualTo(max);
    }
    assertThatThrownBy(
            () -> QuarryConfig.defaults().with(Setting.EMBEDDER_CONCURRENCY, "5000", "--x"))
        .hasMessage(
            "--x: embedder-concurrency: '5000' is more than the limit of 64 requests in flight");
  }

  @Test
  void unknownKeysInTheFileAreErrorsSoTyposDoNotPassSilently() throws IOException {
    Path file = Files.writeString(dir.resolve("typo.properties"), "worker=4\n");
    assertThatThrownBy(() -> QuarryConfig.load(Map.of("QUARRY_CONFIG", file.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "config file " + file + ": unknown setting 'worker' (known: workers, threads");
  }

  // Issue 11, item 18: a file saved with a byte order mark was rejected as an unknown setting.
  @Tag("hostile")
  @Test
  void aConfigFileSavedWithAByteOrderMarkIsRead() throws IOException {
    Path file = Files.writeString(dir.resolve("bom.properties"), "\uFEFFworkers=3\nbatch-size=8\n");
    QuarryConfig config = QuarryConfig.load(Map.of("QUARRY_CONFIG", file.toString()));
    assertThat(config.workers()).isEqualTo(3);
    assertThat(config.batchSize()).isEqualTo(8);
  }

  // Issue 11, item 18: an unknown key is named with its invisible characters made visible.
  @Tag("hostile")
  @Test
  void anUnknownKeyIsNamedWithoutRawInvisibleCharacters() throws IOException {
    Path zeroWidth = Files.writeString(dir.resolve("zw.properties"), "work\u200Bers=3\n");
    assertThatThrownBy(() -> QuarryConfig.load(Map.of("QUARRY_CONFIG", zeroWidth.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown setting 'work\\u200bers'")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u200B"));
    Path escape = Files.writeString(dir.resolve("esc.properties"), "\u001B]0;title\u0007=1\n");
    assertThatThrownBy(() -> QuarryConfig.load(Map.of("QUARRY_CONFIG", escape.toString())))
        .hasMessageContaining("unknown setting '\\u001b]0;title\\u0007'")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u001B", "\u0007"));
  }

  @Test
  void aNamedConfigFileThatDoesNotExistIsAnError() {
    assertThatThrownBy(
            () -> QuarryConfig.load(Map.of("QUARRY_CONFIG", dir.resolve("nope").toString())))
        .hasMessage("QUARRY_CONFIG=" + dir.resolve("nope") + ": no such file");
  }

  @Test
  void sizesAndDurationsAreParsedAsPeopleWriteThem() {
    assertThat(Values.parseSize("4MiB")).isEqualTo(4L << 20);
    assertThat(Values.parseSize("512k")).isEqualTo(512L << 10);
    assertThat(Values.parseSize("1 GB")).isEqualTo(1L << 30);
    assertThat(Values.parseSize("1048576")).isEqualTo(1L << 20);
    assertThatThrownBy(() -> Values.parseSize("99999999999g")).hasMessageContaining("below 8 EiB");
    assertThat(Values.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Values.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Values.parseDuration("PT1H")).isEqualTo(Duration.ofHours(1));
    assertThat(Values.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Values.formatSize(4L << 20)).isEqualTo("4MiB");
    assertThat(QuarryConfig.defaults().display(Setting.COMMIT_INTERVAL)).isEqualTo("1m");
  }

  @Test
  void theConfigBecomesTheRunsOptions() {
    QuarryConfig config =
        QuarryConfig.defaults()
            .with(Setting.WORKERS, "1", "--workers")
            .with(Setting.SCAN_THREADS, "1", "--scan-threads")
            .with(Setting.MAX_FILE_SIZE, "64k", "--max-file-size");
    Path root = dir.toAbsolutePath();
    IndexOptions options = config.indexOptions(List.of(root), root.resolve(".quarry"), false);

    assertThat(options.workers()).isEqualTo(1);
    assertThat(options.scan().parallelism()).isEqualTo(1);
    assertThat(options.scan().maxFileSize()).isEqualTo(64L << 10);
    assertThat(options.scan().excludedDirectory()).contains(root.resolve(".quarry"));
    assertThat(options.embed()).isFalse();
  }

  // Issue 11, item 7: the shared cache's password and team key come from the environment or a key
  // file, never shown; TLS URIs are accepted; bad values are errors naming them.
  @Tag("hostile")
  @Test
  void theSharedCachesSecretsAreReadFromTheEnvironmentOrAKeyFile() throws IOException {
    Path key = Files.writeString(dir.resolve("team.key"), "0123456789abcdef0123456789abcdef\n");
    CacheSettings cache =
        QuarryConfig.load(
                Map.of(
                    "QUARRY_CACHE_REDIS", "rediss://cache.example:6380/2",
                    "QUARRY_CACHE_REDIS_KEY_FILE", key.toString(),
                    "QUARRY_CACHE_REDIS_PASSWORD", "pass-word"))
            .cache();
    assertThat(cache.redis()).contains(URI.create("rediss://cache.example:6380/2"));
    assertThat(cache.redisSecrets().password()).contains("pass-word");
    assertThat(cache.redisSecrets().teamKey()).isPresent();
    assertThat(cache.redisSecrets().toString()).doesNotContain("pass-word").doesNotContain("0123");
    assertThat(
            QuarryConfig.load(
                    Map.of(
                        "QUARRY_CACHE_REDIS", "redis://cache",
                        "QUARRY_CACHE_REDIS_KEY", "a key of at least 16 bytes"))
                .cache()
                .redisSecrets()
                .teamKey())
        .isPresent();

    assertThat(
            QuarryConfig.defaults()
                .with(Setting.CACHE_REDIS, "redis://quarry:pass-word@cache:6379", "--cache-redis")
                .display(Setting.CACHE_REDIS))
        .isEqualTo("redis://quarry:***@cache:6379");

    Path shortKey = Files.writeString(dir.resolve("short.key"), "short\n");
    assertThatThrownBy(
            () ->
                QuarryConfig.defaults()
                    .with(Setting.CACHE_REDIS, "redis://cache", "--cache-redis")
                    .with(
                        Setting.CACHE_REDIS_KEY_FILE, shortKey.toString(), "--cache-redis-key-file")
                    .cache())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--cache-redis-key-file")
        .hasMessageContaining(shortKey.toString())
        .hasMessageContaining("at least 16");
    assertThatThrownBy(
            () ->
                QuarryConfig.load(
                        Map.of(
                            "QUARRY_CACHE_REDIS",
                            "redis://cache",
                            "QUARRY_CACHE_REDIS_KEY",
                            "short"))
                    .cache())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("QUARRY_CACHE_REDIS_KEY");
    assertThatThrownBy(
            () ->
                QuarryConfig.defaults()
                    .with(Setting.CACHE_REDIS_KEY_FILE, dir.resolve("nope").toString(), "--x"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no such file");
    assertThatThrownBy(
            () ->
                QuarryConfig.defaults().with(Setting.CACHE_REDIS, "http://cache", "--cache-redis"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rediss://");
    assertThatThrownBy(
            () ->
                QuarryConfig.defaults()
                    .with(Setting.CACHE_REDIS, "redis://:pass-word@cache/x", "--cache-redis"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("database number")
        .hasMessageNotContaining("pass-word");
  }
}
