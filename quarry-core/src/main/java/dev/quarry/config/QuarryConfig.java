package dev.quarry.config;

import dev.quarry.cache.CacheSettings;
import dev.quarry.cache.DiskTier;
import dev.quarry.cache.MemoryTier;
import dev.quarry.cache.RedisSecrets;
import dev.quarry.cache.RedisTier;
import dev.quarry.chunk.ChunkerKind;
import dev.quarry.embed.EmbedderSpec;
import dev.quarry.embed.EmbeddingModels;
import dev.quarry.pipeline.FileMemory;
import dev.quarry.pipeline.IndexOptions;
import dev.quarry.scan.ScanOptions;
import dev.quarry.store.RemoteStores;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Quarry's settings, typed, each with where it came from. Built in layers, later ones winning:
 * defaults, the config file, {@code QUARRY_*} environment variables, then the command line (the
 * caller applies its flags with {@link #with}). Values are parsed and checked as each layer is
 * applied, so a bad one fails at once with a message naming it and its source.
 *
 * <p>The config file is {@code $QUARRY_CONFIG} when set (it must exist), else {@code
 * $XDG_CONFIG_HOME/quarry/config.properties} or {@code ~/.config/quarry/config.properties} when
 * present; a Java properties file whose keys are the {@link Setting} keys.
 */
public final class QuarryConfig {
  /** Environment variable naming the config file. */
  public static final String CONFIG_FILE_VARIABLE = "QUARRY_CONFIG";

  static final String DEFAULT_SOURCE = "default";

  /**
   * Requests to a remote embedder are waits, not work, so more may be in flight than there are
   * cores; past this a server is being flooded, not used.
   */
  static final int MAX_REQUESTS_IN_FLIGHT = 64;

  private final Map<Setting, Object> values;
  private final Map<Setting, String> sources;
  // Secrets come from the environment only, never a config file or a flag (where they would be
  // seen): the Redis password and team key, by variable.
  private final Map<String, String> secrets;

  private QuarryConfig(
      Map<Setting, Object> values, Map<Setting, String> sources, Map<String, String> secrets) {
    this.values = values;
    this.sources = sources;
    this.secrets = secrets;
  }

  /** The built-in defaults: all cores, batches of 64, a commit a minute, files up to 4 MiB. */
  public static QuarryConfig defaults() {
    int cores = Runtime.getRuntime().availableProcessors();
    Map<Setting, Object> values = new EnumMap<>(Setting.class);
    values.put(Setting.WORKERS, cores);
    values.put(Setting.THREADS, cores);
    values.put(Setting.BATCH_SIZE, 64);
    values.put(Setting.COMMIT_INTERVAL, Duration.ofSeconds(60));
    values.put(Setting.COMMIT_CHUNKS, IndexOptions.DEFAULT_COMMIT_CHUNKS);
    values.put(Setting.MAX_FILE_SIZE, ScanOptions.DEFAULT_MAX_FILE_SIZE);
    values.put(Setting.FOLLOW_SYMLINKS, false);
    values.put(Setting.SCAN_THREADS, cores);
    values.put(Setting.EMBEDDER, EmbedderSpec.local());
    values.put(Setting.EMBEDDER_CONCURRENCY, EmbedderSpec.OpenAi.DEFAULT_CONCURRENCY);
    values.put(Setting.EMBEDDER_MAX_TOKENS, EmbedderSpec.OpenAi.DEFAULT_MAX_TOKENS);
    values.put(Setting.MODEL, EmbeddingModels.DEFAULT);
    values.put(Setting.CHUNKER, ChunkerKind.LINES);
    values.put(Setting.CACHE_DIR, CacheSettings.defaultDirectory().toString());
    values.put(Setting.CACHE_SIZE, DiskTier.DEFAULT_MAX_BYTES);
    values.put(Setting.STORE, RemoteStores.EMBEDDED);
    values.put(Setting.CACHE_REDIS, NONE);
    values.put(Setting.CACHE_REDIS_TTL, RedisTier.DEFAULT_TTL);
    values.put(Setting.CACHE_REDIS_KEY_FILE, NONE);
    Map<Setting, String> sources = new EnumMap<>(Setting.class);
    for (Setting s : Setting.values()) {
      sources.put(s, DEFAULT_SOURCE);
    }
    return new QuarryConfig(values, sources, Map.of());
  }

  /**
   * Defaults, then the config file (if any), then {@code QUARRY_*} variables of {@code
   * environment}.
   */
  public static QuarryConfig load(Map<String, String> environment) {
    QuarryConfig config = defaults();
    Path file = configFile(environment);
    if (file != null) {
      config = config.withFile(file);
    }
    return config.withEnvironment(environment);
  }

  /**
   * The config file to read: {@code $QUARRY_CONFIG} (an error if missing), else the user's config
   * directory's {@code quarry/config.properties} if it exists, else null.
   */
  static Path configFile(Map<String, String> environment) {
    String explicit = environment.get(CONFIG_FILE_VARIABLE);
    if (explicit != null && !explicit.isBlank()) {
      Path path = Path.of(explicit);
      if (!Files.isRegularFile(path)) {
        throw new ConfigException(CONFIG_FILE_VARIABLE + "=" + explicit + ": no such file");
      }
      return path;
    }
    String xdg = environment.get("XDG_CONFIG_HOME");
    String home = environment.getOrDefault("HOME", System.getProperty("user.home"));
    Path dir =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : home == null ? null : Path.of(home, ".config");
    Path candidate = dir == null ? null : dir.resolve("quarry").resolve("config.properties");
    return candidate != null && Files.isRegularFile(candidate) ? candidate : null;
  }

  /**
   * This config with the settings of a properties file applied; unknown keys are errors (typos).
   */
  public QuarryConfig withFile(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      skipByteOrderMark(reader);
      properties.load(reader);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + file + ": no such file");
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("config file " + file + ": cannot be read: " + e.getMessage());
    }
    QuarryConfig config = this;
    for (String key : new java.util.TreeSet<>(properties.stringPropertyNames())) {
      Setting setting = Setting.byKey(key.trim());
      if (setting == null) {
        throw new ConfigException(
            "config file "
                + file
                + ": unknown setting '"
                + visible(key)
                + "' (known: "
                + Arrays.stream(Setting.values())
                    .map(Setting::key)
                    .collect(Collectors.joining(", "))
                + ")");
      }
      config = config.with(setting, properties.getProperty(key), "config file " + file);
    }
    return config;
  }

  /**
   * Skips a UTF-8 byte order mark at the start: editors on Windows save one, and Properties would
   * take it as part of the first key.
   */
  private static void skipByteOrderMark(Reader reader) throws IOException {
    reader.mark(1);
    if (reader.read() != '\uFEFF') {
      reader.reset();
    }
  }

  /**
   * {@code key} with its invisible characters (controls, zero-width and direction marks, odd
   * spaces) written as Java escapes (backslash, u, four hex digits): a typo the user cannot see
   * must show in the message, and a terminal escape in a file must not reach the terminal.
   */
  private static String visible(String key) {
    StringBuilder out = new StringBuilder(key.length());
    key.chars()
        .forEach(
            c -> {
              int type = Character.getType(c);
              boolean invisible =
                  Character.isISOControl(c)
                      || type == Character.FORMAT
                      || type == Character.LINE_SEPARATOR
                      || type == Character.PARAGRAPH_SEPARATOR
                      || (type == Character.SPACE_SEPARATOR && c != ' ')
                      || type == Character.UNASSIGNED;
              if (invisible) {
                out.append(String.format("\\u%04x", c));
              } else {
                out.append((char) c);
              }
            });
    return out.toString();
  }

  /**
   * This config with every {@code QUARRY_*} variable of a {@link Setting} applied, and the shared
   * cache's secrets ({@value RedisSecrets#PASSWORD_VARIABLE}, {@value RedisSecrets#KEY_VARIABLE}).
   */
  public QuarryConfig withEnvironment(Map<String, String> environment) {
    Map<String, String> found = new java.util.HashMap<>(secrets);
    for (String variable : List.of(RedisSecrets.PASSWORD_VARIABLE, RedisSecrets.KEY_VARIABLE)) {
      String value = environment.get(variable);
      if (value != null && !value.isEmpty()) {
        found.put(variable, value);
      }
    }
    QuarryConfig config = new QuarryConfig(values, sources, Map.copyOf(found));
    for (Setting setting : Setting.values()) {
      String value = environment.get(setting.environmentVariable());
      if (value != null && !value.isBlank()) {
        config = config.with(setting, value, "environment " + setting.environmentVariable());
      }
    }
    return config;
  }

  /**
   * This config with {@code setting} set from text, parsed and checked.
   *
   * @throws ConfigException naming the setting, the value and {@code source} when it is not valid
   */
  public QuarryConfig with(Setting setting, String text, String source) {
    Object value;
    try {
      value =
          switch (setting) {
            case BATCH_SIZE, COMMIT_CHUNKS -> Values.parsePositiveInt(text);
            case WORKERS, THREADS, SCAN_THREADS -> Values.parseThreadCount(text);
            case EMBEDDER_CONCURRENCY ->
                Values.parseBoundedInt(text, MAX_REQUESTS_IN_FLIGHT, "requests in flight");
            case EMBEDDER_MAX_TOKENS -> parseMaxTokens(text);
            case EMBEDDER -> parseEmbedder(text);
            case COMMIT_INTERVAL -> Values.parseDuration(text);
            case MAX_FILE_SIZE -> parseMaxFileSize(text);
            case CACHE_SIZE -> Values.parseSize(text);
            case CACHE_DIR -> parseCacheDir(text);
            case CACHE_REDIS -> parseRedis(text);
            case CACHE_REDIS_TTL -> Values.parseDuration(text);
            case CACHE_REDIS_KEY_FILE -> parseKeyFile(text);
            case STORE -> parseStore(text);
            case FOLLOW_SYMLINKS -> Values.parseBoolean(text);
            case MODEL -> parseModel(text, embedder());
            case CHUNKER -> ChunkerKind.parse(text);
          };
    } catch (IllegalArgumentException e) {
      throw new ConfigException(source + ": " + setting.key() + ": " + e.getMessage());
    }
    return withValue(setting, value, source);
  }

  private QuarryConfig withValue(Setting setting, Object value, String source) {
    Map<Setting, Object> newValues = new EnumMap<>(values);
    newValues.put(setting, value);
    Map<Setting, String> newSources = new EnumMap<>(sources);
    newSources.put(setting, source);
    return new QuarryConfig(newValues, newSources, secrets);
  }

  /** A size cap this JVM's heap can honour: a larger one would only crash runs later. */
  private static long parseMaxFileSize(String text) {
    long size = Values.parseSize(text);
    FileMemory.requireHeapFor(size, false); // the least a run needs; an embedding run checks more
    return size;
  }

  /** A model name: one Quarry ships for the local embedder, any name a remote endpoint serves. */
  private static String parseModel(String text, EmbedderSpec embedder) {
    String name = text.trim();
    if (name.isEmpty()) {
      throw new IllegalArgumentException("the model name is empty");
    }
    if (embedder instanceof EmbedderSpec.Local) {
      EmbeddingModels.identityOf(name); // throws IllegalArgumentException naming the known models
    }
    return name;
  }

  /** The local embedder needs a local model: checked here too, as the model may be set before. */
  private EmbedderSpec parseEmbedder(String text) {
    EmbedderSpec spec = EmbedderSpec.parse(text);
    if (spec instanceof EmbedderSpec.Local && !EmbeddingModels.available().contains(model())) {
      throw new IllegalArgumentException(
          "the local embedder has no model '"
              + model()
              + "' (set by "
              + source(Setting.MODEL)
              + "); available: "
              + String.join(", ", EmbeddingModels.available()));
    }
    return spec;
  }

  private static int parseMaxTokens(String text) {
    int n = Values.parsePositiveInt(text);
    if (n < 8) {
      throw new IllegalArgumentException("'" + text + "' is less than 8 tokens");
    }
    return n;
  }

  public int workers() {
    return (Integer) values.get(Setting.WORKERS);
  }

  public int threads() {
    return (Integer) values.get(Setting.THREADS);
  }

  public int batchSize() {
    return (Integer) values.get(Setting.BATCH_SIZE);
  }

  public Duration commitInterval() {
    return (Duration) values.get(Setting.COMMIT_INTERVAL);
  }

  /**
   * The embedding cache: memory, the disk tier in {@code cache-dir} unless it is "off", and the
   * shared tier with its secrets when {@code cache-redis} is set.
   *
   * @throws ConfigException when the team key cannot be read or is too short
   */
  public CacheSettings cache() {
    String dir = (String) values.get(Setting.CACHE_DIR);
    long size = (Long) values.get(Setting.CACHE_SIZE);
    String redis = (String) values.get(Setting.CACHE_REDIS);
    return new CacheSettings(
        dir.equals(CACHE_OFF)
            ? Optional.empty()
            : Optional.of(Path.of(dir).resolve(CacheSettings.FILE_NAME)),
        size,
        MemoryTier.DEFAULT_MAX_BYTES,
        redis.equals(NONE) ? Optional.empty() : Optional.of(URI.create(redis)),
        (java.time.Duration) values.get(Setting.CACHE_REDIS_TTL),
        redis.equals(NONE) ? RedisSecrets.none() : redisSecrets());
  }

  private RedisSecrets redisSecrets() {
    String keyFile = (String) values.get(Setting.CACHE_REDIS_KEY_FILE);
    try {
      return RedisSecrets.of(
          secrets, keyFile.equals(NONE) ? Optional.empty() : Optional.of(Path.of(keyFile)));
    } catch (IllegalArgumentException e) {
      String source =
          keyFile.equals(NONE)
              ? "environment " + RedisSecrets.KEY_VARIABLE
              : source(Setting.CACHE_REDIS_KEY_FILE) + ": " + Setting.CACHE_REDIS_KEY_FILE.key();
      throw new ConfigException(source + ": " + e.getMessage());
    }
  }

  private static String parseKeyFile(String text) {
    if (text.equals(NONE) || text.isBlank()) {
      return NONE;
    }
    Path file = Path.of(text.strip()).toAbsolutePath().normalize();
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("'" + text + "': no such file");
    }
    return file.toString();
  }

  private static final String NONE = "none";

  /** {@code embedded}, or {@code SCHEME:ADDRESS}; the store's provider checks the address. */
  private static String parseStore(String text) {
    String store = text.trim();
    if (store.equals(RemoteStores.EMBEDDED)) {
      return store;
    }
    int colon = store.indexOf(':');
    if (colon <= 0 || !store.substring(0, colon).matches("[a-z][a-z0-9]*")) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is neither 'embedded' nor a store address such as"
              + " solr:http://127.0.0.1:8983/solr/quarry");
    }
    return store;
  }

  private static String parseRedis(String text) {
    if (text.equals(NONE) || text.isBlank()) {
      return NONE;
    }
    URI uri;
    try {
      uri = URI.create(text.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a URI (example: redis://localhost:6379)");
    }
    if (!("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "'" + redacted(uri, text) + "' is not a redis://host[:port] or rediss://host[:port] URI");
    }
    String path = uri.getPath();
    if (path != null && !path.isEmpty() && !path.equals("/") && !path.matches("/[0-9]{1,5}")) {
      throw new IllegalArgumentException(
          "'" + redacted(uri, text) + "': the path must be a database number, like /0");
    }
    return uri.toString();
  }

  /** The URI with its password, if any, shown as {@code ***} ({@code quarry config} prints it). */
  private static String withoutPassword(URI uri) {
    String userInfo = uri.getRawUserInfo();
    if (userInfo == null || !userInfo.contains(":")) {
      return uri.toString();
    }
    String user = userInfo.substring(0, userInfo.indexOf(':'));
    return uri.toString().replace(userInfo + "@", user + ":***@");
  }

  /** {@code text} without the password of {@code uri}, for messages. */
  private static String redacted(URI uri, String text) {
    String userInfo = uri.getRawUserInfo();
    return userInfo == null ? text : text.replace(userInfo + "@", "***@");
  }

  private static final String CACHE_OFF = "off";

  private static String parseCacheDir(String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("a folder, or 'off' for no disk cache");
    }
    return text.equals(CACHE_OFF)
        ? CACHE_OFF
        : Path.of(text).toAbsolutePath().normalize().toString();
  }

  public int commitChunks() {
    return (Integer) values.get(Setting.COMMIT_CHUNKS);
  }

  public long maxFileSize() {
    return (Long) values.get(Setting.MAX_FILE_SIZE);
  }

  public boolean followSymlinks() {
    return (Boolean) values.get(Setting.FOLLOW_SYMLINKS);
  }

  public int scanThreads() {
    return (Integer) values.get(Setting.SCAN_THREADS);
  }

  public String model() {
    return (String) values.get(Setting.MODEL);
  }

  public ChunkerKind chunker() {
    return (ChunkerKind) values.get(Setting.CHUNKER);
  }

  /** The remote store's address ({@code solr:...}), or empty for the embedded index. */
  public Optional<String> store() {
    String store = (String) values.get(Setting.STORE);
    return store.equals(RemoteStores.EMBEDDED) ? Optional.empty() : Optional.of(store);
  }

  /** Where vectors come from, with the remote settings ({@code embedder-*}) applied. */
  public EmbedderSpec embedder() {
    EmbedderSpec spec = (EmbedderSpec) values.get(Setting.EMBEDDER);
    if (spec instanceof EmbedderSpec.OpenAi remote) {
      return remote
          .withConcurrency((Integer) values.get(Setting.EMBEDDER_CONCURRENCY))
          .withMaxTokens((Integer) values.get(Setting.EMBEDDER_MAX_TOKENS));
    }
    return spec;
  }

  /** The value of {@code setting}, typed as its accessor returns it. */
  public Object value(Setting setting) {
    return values.get(setting);
  }

  /** The value of {@code setting} as it would be written in a config file. */
  public String display(Setting setting) {
    if (setting == Setting.EMBEDDER) {
      return ((EmbedderSpec) value(setting)).text();
    }
    if (setting == Setting.CACHE_REDIS && !NONE.equals(value(setting))) {
      return withoutPassword(URI.create((String) value(setting)));
    }
    return setting == Setting.MAX_FILE_SIZE || setting == Setting.CACHE_SIZE
        ? Values.formatSize((Long) value(setting))
        : Values.format(value(setting));
  }

  /**
   * Where {@code setting}'s value came from: "default", "config file PATH", "environment VAR" or a
   * flag.
   */
  public String source(Setting setting) {
    return sources.get(setting);
  }

  public Map<Setting, String> sources() {
    return Collections.unmodifiableMap(sources);
  }

  /**
   * The options of an indexing run over {@code roots} into {@code indexDir} with these settings.
   */
  public IndexOptions indexOptions(java.util.List<Path> roots, Path indexDir, boolean embed) {
    ScanOptions scan =
        ScanOptions.defaults()
            .withExcludedDirectory(indexDir)
            .withMaxFileSize(maxFileSize())
            .withFollowSymlinks(followSymlinks())
            .withParallelism(scanThreads());
    return new IndexOptions(
        roots,
        indexDir,
        scan,
        embed,
        model(),
        threads(),
        commitInterval(),
        commitChunks(),
        workers(),
        batchSize(),
        cache(),
        chunker());
  }
}
