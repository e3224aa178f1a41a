package dev.quarry.cache;

import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.ConnectionFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * L3: vectors in a Redis server shared by machines (a team, CI runners), so a machine with an empty
 * memory and disk cache still embeds nothing another machine has embedded. One MGET per lookup, one
 * pipeline of SET with an expiry per write; entries expire after a TTL.
 *
 * <p>Vectors travel as float16 (half the bytes of float32; the relative error, at most 2^-11 per
 * component, moves a unit vector's cosine by far less than the int8 quantisation of the index
 * does), checksummed or signed ({@link SharedEntryFormat}). The server is not trusted: every reply
 * is bounded in size before Jedis parses it ({@link BoundedReplyStream}), an MGET must answer one
 * entry a key, and an entry that fails its checks is counted as {@linkplain #rejected() rejected}
 * and not served. A server that is down, slow (over the socket timeout), refusing or misbehaving
 * fails the call with a {@link CacheTierException}; the tiered cache then goes on without it.
 */
public final class RedisTier implements CacheTier {
  public static final Duration DEFAULT_TTL = Duration.ofDays(30);

  /**
   * The most one reply may hold: an MGET of {@link #KEYS_PER_CALL} 4096-dimension vectors fits (8
   * MB), and whatever a server sends, Jedis allocates no more than a small multiple of it.
   */
  static final long MAX_REPLY_BYTES = 16L << 20;

  /** Keys per MGET: large enough to save round trips, small enough not to block the server. */
  private static final int KEYS_PER_CALL = 1000;

  private final URI uri;
  private final RedisClient client;
  private final long ttlSeconds;
  private final SharedEntryFormat format;
  private final LongAdder rejected = new LongAdder();

  private RedisTier(URI uri, RedisClient client, Duration ttl, SharedEntryFormat format) {
    this.uri = uri;
    this.client = client;
    this.ttlSeconds = Math.max(1, ttl.toSeconds());
    this.format = format;
  }

  /** {@link #connect(URI, Duration, Duration, RedisSecrets)} without a password or team key. */
  public static RedisTier connect(URI uri, Duration ttl, Duration timeout) {
    return connect(uri, ttl, timeout, RedisSecrets.none());
  }

  /**
   * Connects to {@code uri} ({@code redis://[[user]:password@]host[:port][/db]}, or {@code
   * rediss://} for TLS, verified against the JVM's trusted certificates and the host name) and
   * checks it answers. The password in the URI wins over {@code secrets}' one.
   *
   * @throws CacheTierException when it does not, within {@code timeout}, or refuses the password
   */
  public static RedisTier connect(URI uri, Duration ttl, Duration timeout, RedisSecrets secrets) {
    return connect(uri, ttl, timeout, secrets, null);
  }

  /** As above, with {@code tls} options when not null (tests: a self-signed server's). */
  static RedisTier connect(
      URI uri, Duration ttl, Duration timeout, RedisSecrets secrets, SslOptions tls) {
    RedisClient client = null;
    try {
      JedisClientConfig config = clientConfig(uri, timeout, secrets, tls);
      HostAndPort address = new HostAndPort(uri.getHost(), port(uri));
      DefaultJedisSocketFactory sockets = new DefaultJedisSocketFactory(address, config);
      JedisSocketFactory bounded = () -> bound(sockets.createSocket());
      client =
          RedisClient.builder()
              .connectionProvider(
                  new PooledConnectionProvider(new ConnectionFactory(bounded, config)))
              .build();
      client.ping();
      SharedEntryFormat format =
          secrets.teamKey().map(SharedEntryFormat::signed).orElse(SharedEntryFormat.checksummed());
      return new RedisTier(uri, client, ttl, format);
    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
      if (client != null) {
        client.close();
      }
      String why = describe(e, password(uri, secrets));
      throw new CacheTierException(
          "cannot use Redis at " + display(uri) + ": " + why + hint(uri, why), e);
    }
  }

  private static JedisClientConfig clientConfig(
      URI uri, Duration timeout, RedisSecrets secrets, SslOptions tls) {
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder()
            // RESP2: the replies BoundedReplyStream checks (RESP3 adds types and pushes).
            .resp2()
            .connectionTimeoutMillis((int) timeout.toMillis())
            .socketTimeoutMillis((int) timeout.toMillis());
    user(uri).ifPresent(config::user);
    password(uri, secrets).ifPresent(config::password);
    String path = uri.getPath();
    if (path != null && path.length() > 1) {
      config.database(Integer.parseInt(path.substring(1)));
    }
    if ("rediss".equals(uri.getScheme())) {
      // FULL: the server's certificate must chain to a trusted one and name the host.
      config.sslOptions(
          tls != null ? tls : SslOptions.builder().sslVerifyMode(SslVerifyMode.FULL).build());
    }
    return config.build();
  }

  /** The user in {@code redis://user:password@host} (no colon: a user alone). */
  private static Optional<String> user(URI uri) {
    String userInfo = uri.getUserInfo();
    if (userInfo == null) {
      return Optional.empty();
    }
    int colon = userInfo.indexOf(':');
    String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
    return user.isEmpty() ? Optional.empty() : Optional.of(user);
  }

  /** The password in the URI, else the one in {@code secrets} (from the environment). */
  private static Optional<String> password(URI uri, RedisSecrets secrets) {
    String userInfo = uri.getUserInfo();
    int colon = userInfo == null ? -1 : userInfo.indexOf(':');
    return colon >= 0 ? Optional.of(userInfo.substring(colon + 1)) : secrets.password();
  }

  private static Socket bound(Socket socket) {
    try {
      return new BoundedReplySocket(socket, MAX_REPLY_BYTES);
    } catch (java.io.IOException e) {
      throw new JedisConnectionException(e);
    }
  }

  @Override
  public String name() {
    return "redis";
  }

  @Override
  public Map<String, float[]> getAll(ModelKey model, Collection<String> chunkHashes) {
    List<String> hashes = List.copyOf(chunkHashes);
    Map<String, float[]> found = new HashMap<>();
    SharedEntryFormat.Sealer sealer = format.sealer();
    try {
      for (int from = 0; from < hashes.size(); from += KEYS_PER_CALL) {
        List<String> part = hashes.subList(from, Math.min(hashes.size(), from + KEYS_PER_CALL));
        byte[][] keys = new byte[part.size()][];
        for (int i = 0; i < keys.length; i++) {
          keys[i] = sealer.key(model, part.get(i));
        }
        List<byte[]> values = client.mget(keys);
        if (values == null || values.size() != keys.length) {
          throw new CacheTierException(
              "Redis at "
                  + display(uri)
                  + " answered an MGET of "
                  + keys.length
                  + (keys.length == 1 ? " key" : " keys")
                  + " with "
                  + (values == null ? "nil" : values.size() + " values"),
              null);
        }
        for (int i = 0; i < keys.length; i++) {
          byte[] value = values.get(i);
          if (value == null) {
            continue;
          }
          float[] vector = sealer.open(model, part.get(i), keys[i], value);
          if (vector == null) {
            rejected.increment();
          } else {
            found.put(part.get(i), vector);
          }
        }
      }
      return found;
    } catch (CacheTierException e) {
      throw e;
    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
      throw new CacheTierException(
          "Redis at " + display(uri) + ": " + describe(e, Optional.empty()), e);
    }
  }

  @Override
  public void putAll(ModelKey model, Map<String, float[]> vectors) {
    if (vectors.isEmpty()) {
      return;
    }
    SharedEntryFormat.Sealer sealer = format.sealer();
    try (AbstractPipeline pipeline = client.pipelined()) {
      for (Map.Entry<String, float[]> e : vectors.entrySet()) {
        byte[] key = sealer.key(model, e.getKey());
        pipeline.set(
            key,
            sealer.seal(model, e.getKey(), key, e.getValue()),
            SetParams.setParams().ex(ttlSeconds));
      }
      pipeline.sync();
    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
      throw new CacheTierException(
          "Redis at " + display(uri) + ": " + describe(e, Optional.empty()), e);
    }
  }

  /** Values found that failed their checks (format, checksum or signature, length): not served. */
  @Override
  public long rejected() {
    return rejected.sum();
  }

  /** A vector as float16, two bytes a component, as the shared tier stores it (before its tag). */
  public static byte[] encode(float[] vector) {
    return SharedEntryFormat.float16(vector);
  }

  /** The vector {@link #encode} made, or null when not {@code dimensions} finite values. */
  public static float[] decode(byte[] bytes, int dimensions) {
    if (bytes == null || bytes.length != 2 * dimensions) {
      return null;
    }
    return SharedEntryFormat.fromFloat16(bytes, 0, dimensions);
  }

  /** The URI without its user and password, for messages. */
  static String display(URI uri) {
    return uri.getHost() + ":" + port(uri);
  }

  private static int port(URI uri) {
    return uri.getPort() < 0 ? 6379 : uri.getPort();
  }

  /** What to check, for the failures a configuration causes. */
  private static String hint(URI uri, String why) {
    if (why.contains("NOAUTH") || why.contains("WRONGPASS")) {
      return "; give the password in the URI (redis://:PASSWORD@host, or USER:PASSWORD) or in $"
          + RedisSecrets.PASSWORD_VARIABLE;
    }
    if ("rediss".equals(uri.getScheme())) {
      return "; with rediss:// the server must speak TLS, with a certificate the JVM trusts that"
          + " names the host";
    }
    return "";
  }

  /** What went wrong, with the root cause (Jedis wraps), never the password. */
  private static String describe(Throwable e, Optional<String> password) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof ClassCastException) {
      // Jedis casts a reply to the type the command's reply must have: a server that answered
      // with another type does not speak Redis's protocol (or not the version it claims).
      return "the server's reply is not what Redis answers to this command (not a Redis server?)";
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (root != e && message.equals(root.toString()) && root.getMessage() != null) {
      message = root.getMessage(); // Jedis wraps with the cause's class name as its message
    } else if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
      message += " (" + root.getMessage() + ")";
    }
    if (password.isPresent() && !password.get().isEmpty()) {
      message = message.replace(password.get(), "***");
    }
    return message;
  }

  /** The keys this tier holds for {@code model} (tests, stats); scans, so for small stores. */
  List<String> keys(ModelKey model) {
    return new ArrayList<>(client.keys(format.keyPattern(model)));
  }

  /** The key under which this tier stores {@code chunkHash} of {@code model} (tests). */
  String keyOf(ModelKey model, String chunkHash) {
    return new String(format.sealer().key(model, chunkHash), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    client.close();
  }
}
