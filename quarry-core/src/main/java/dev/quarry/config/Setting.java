package dev.quarry.config;

import java.util.Locale;

/**
 * The settings Quarry reads from a config file and the environment. The file key is the
 * command-line flag without its dashes ({@code batch-size}); the environment variable is the key in
 * upper case with underscores, prefixed {@code QUARRY_} ({@code QUARRY_BATCH_SIZE}).
 */
public enum Setting {
  WORKERS("workers", "threads that read, extract, chunk and write files"),
  THREADS("threads", "threads of the embedding model"),
  BATCH_SIZE("batch-size", "chunks per call to the embedding model"),
  COMMIT_INTERVAL("commit-interval", "longest time between commits (e.g. 30s, 2m)"),
  COMMIT_CHUNKS("commit-chunks", "most chunks written between commits"),
  MAX_FILE_SIZE("max-file-size", "files larger than this are skipped (e.g. 4MiB)"),
  FOLLOW_SYMLINKS("follow-symlinks", "follow symbolic links (true/false)"),
  SCAN_THREADS("scan-threads", "threads walking directories"),
  // EMBEDDER comes before MODEL: layers apply settings in this order, and which model names are
  // valid depends on the embedder.
  EMBEDDER(
      "embedder", "where vectors come from: local, or openai:URL (an OpenAI-compatible endpoint)"),
  EMBEDDER_CONCURRENCY("embedder-concurrency", "requests in flight at once to a remote embedder"),
  EMBEDDER_MAX_TOKENS(
      "embedder-max-tokens", "token window of a remote model (unless its server reports one)"),
  MODEL("model", "embedding model name"),
  CHUNKER(
      "chunker",
      "how code is chunked: lines, or syntax (tree-sitter, at functions and classes; lines for"
          + " other languages and for files that do not parse)"),
  CACHE_DIR("cache-dir", "folder of the disk embedding cache, shared by all indexes (off: none)"),
  CACHE_SIZE("cache-size", "most the disk embedding cache may hold (e.g. 2GiB)"),
  CACHE_REDIS(
      "cache-redis",
      "shared embedding cache server, redis://[user:password@]host:port, rediss:// for TLS"
          + " (none: no shared tier; password also from $QUARRY_CACHE_REDIS_PASSWORD)"),
  CACHE_REDIS_TTL("cache-redis-ttl", "how long the shared cache keeps a vector (e.g. 30d)"),
  CACHE_REDIS_KEY_FILE(
      "cache-redis-key-file",
      "file holding the team key that signs shared cache entries (none: entries are only"
          + " checksummed; the key may also come from $QUARRY_CACHE_REDIS_KEY)"),
  STORE(
      "store",
      "where the index lives: embedded (a folder, see --index), or"
          + " solr:http://HOST:PORT/solr/COLLECTION (a SolrCloud collection)");

  private final String key;
  private final String description;

  Setting(String key, String description) {
    this.key = key;
    this.description = description;
  }

  /** The key in a config file, and the flag's name without {@code --}. */
  public String key() {
    return key;
  }

  public String environmentVariable() {
    return "QUARRY_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  public String description() {
    return description;
  }

  /** The setting with this file key, or null. */
  static Setting byKey(String key) {
    for (Setting s : values()) {
      if (s.key.equals(key)) {
        return s;
      }
    }
    return null;
  }
}
