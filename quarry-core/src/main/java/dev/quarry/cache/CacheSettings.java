package dev.quarry.cache;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the embedding cache lives and how big it may grow.
 *
 * @param diskFile the disk tier's database; empty: no disk tier (memory only)
 * @param diskMaxBytes the disk tier's bound
 * @param memoryMaxBytes the memory tier's bound
 * @param redis the shared tier's server ({@code redis://host:port}, {@code rediss://} for TLS);
 *     empty: none
 * @param redisTtl how long the shared tier keeps a vector
 * @param redisSecrets the shared tier's password (when the URI has none) and team key
 */
public record CacheSettings(
    Optional<Path> diskFile,
    long diskMaxBytes,
    long memoryMaxBytes,
    Optional<URI> redis,
    Duration redisTtl,
    RedisSecrets redisSecrets) {

  /** A shared tier slower than this is treated as down: it must never slow a run much. */
  static final Duration REDIS_TIMEOUT = Duration.ofSeconds(1);

  public static final String FILE_NAME = "embeddings.db";

  public CacheSettings {
    if (diskMaxBytes <= 0 || memoryMaxBytes <= 0) {
      throw new IllegalArgumentException("cache sizes must be positive");
    }
    Objects.requireNonNull(redisSecrets, "redisSecrets");
  }

  /** Settings whose shared tier (if any) has no password but the URI's and no team key. */
  public CacheSettings(
      Optional<Path> diskFile,
      long diskMaxBytes,
      long memoryMaxBytes,
      Optional<URI> redis,
      Duration redisTtl) {
    this(diskFile, diskMaxBytes, memoryMaxBytes, redis, redisTtl, RedisSecrets.none());
  }

  /** The disk tier in the user's cache directory, default sizes. */
  public static CacheSettings defaults() {
    return new CacheSettings(
        Optional.of(defaultDirectory().resolve(FILE_NAME)),
        DiskTier.DEFAULT_MAX_BYTES,
        MemoryTier.DEFAULT_MAX_BYTES,
        Optional.empty(),
        RedisTier.DEFAULT_TTL);
  }

  public static CacheSettings memoryOnly() {
    return new CacheSettings(
        Optional.empty(),
        DiskTier.DEFAULT_MAX_BYTES,
        MemoryTier.DEFAULT_MAX_BYTES,
        Optional.empty(),
        RedisTier.DEFAULT_TTL);
  }

  /** {@code $XDG_CACHE_HOME/quarry}, else {@code ~/.cache/quarry} (the XDG base directory rule). */
  public static Path defaultDirectory() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("quarry");
  }

  /**
   * Opens the tiers. A disk tier that cannot be opened (unwritable directory, corrupt file) is left
   * out with a warning: the run goes on with memory only.
   */
  public TieredVectorCache open(Consumer<String> warnings) {
    List<CacheTier> tiers = new ArrayList<>();
    tiers.add(new MemoryTier(memoryMaxBytes));
    diskFile.ifPresent(
        file -> {
          try {
            tiers.add(DiskTier.open(file, diskMaxBytes));
          } catch (CacheTierException e) {
            warnings.accept(e.getMessage() + "; going on without the disk cache");
          }
        });
    redis.ifPresent(
        uri -> {
          try {
            tiers.add(RedisTier.connect(uri, redisTtl, REDIS_TIMEOUT, redisSecrets));
          } catch (CacheTierException e) {
            warnings.accept(e.getMessage() + "; going on without the shared cache");
          }
        });
    return new TieredVectorCache(tiers, warnings);
  }
}
