package dev.quarry.cache;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/**
 * L3: vectors in a Redis server shared by machines (a team, CI runners), so a machine with an empty
 * memory and disk cache still embeds nothing another machine has embedded. One MGET per lookup, one
 * pipeline of SET with an expiry per write; entries expire after a TTL.
 *
 * <p>Vectors travel as float16 (half the bytes of float32; the relative error, at most 2^-11 per
 * component, moves a unit vector's cosine by far less than the int8 quantisation of the index
 * does). A server that is down, slow (over the socket timeout) or refusing fails the call with a
 * {@link CacheTierException}; the tiered cache then goes on without it.
 */
public final class RedisTier implements CacheTier {
  public static final Duration DEFAULT_TTL = Duration.ofDays(30);
  private static final byte FORMAT_FLOAT16 = 1;

  /** Keys per MGET: large enough to save round trips, small enough not to block the server. */
  private static final int KEYS_PER_CALL = 1000;

  private final URI uri;
  private final RedisClient client;
  private final long ttlSeconds;

  private RedisTier(URI uri, RedisClient client, Duration ttl) {
    this.uri = uri;
    this.client = client;
    this.ttlSeconds = Math.max(1, ttl.toSeconds());
  }

  /**
   * Connects to {@code uri} ({@code redis://[:password@]host[:port][/db]}) and checks it answers.
   *
   * @throws CacheTierException when it does not, within {@code timeout}
   */
  public static RedisTier connect(URI uri, Duration ttl, Duration timeout) {
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis((int) timeout.toMillis())
            .socketTimeoutMillis((int) timeout.toMillis());
    String userInfo = uri.getUserInfo();
    if (userInfo != null && !userInfo.isEmpty()) {
      config.password(userInfo.substring(userInfo.indexOf(':') + 1));
    }
    String path = uri.getPath();
    if (path != null && path.length() > 1) {
      config.database(Integer.parseInt(path.substring(1)));
    }
    RedisClient client = null;
    try {
      client =
          RedisClient.builder()
              .hostAndPort(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort())
              .clientConfig(config.build())
              .build();
      client.ping();
      return new RedisTier(uri, client, ttl);
    } catch (RuntimeException e) {
      if (client != null) {
        client.close();
      }
      throw new CacheTierException(
          "cannot reach Redis at " + display(uri) + ": " + e.getMessage(), e);
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
    try {
      for (int from = 0; from < hashes.size(); from += KEYS_PER_CALL) {
        List<String> part = hashes.subList(from, Math.min(hashes.size(), from + KEYS_PER_CALL));
        byte[][] keys = new byte[part.size()][];
        for (int i = 0; i < keys.length; i++) {
          keys[i] = key(model, part.get(i));
        }
        List<byte[]> values = client.mget(keys);
        for (int i = 0; i < part.size(); i++) {
          float[] vector = decode(values.get(i), model.dimensions());
          if (vector != null) {
            found.put(part.get(i), vector);
          }
        }
      }
      return found;
    } catch (RuntimeException e) {
      throw new CacheTierException("Redis at " + display(uri) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void putAll(ModelKey model, Map<String, float[]> vectors) {
    if (vectors.isEmpty()) {
      return;
    }
    try (AbstractPipeline pipeline = client.pipelined()) {
      for (Map.Entry<String, float[]> e : vectors.entrySet()) {
        pipeline.set(
            key(model, e.getKey()), encode(e.getValue()), SetParams.setParams().ex(ttlSeconds));
      }
      pipeline.sync();
    } catch (RuntimeException e) {
      throw new CacheTierException("Redis at " + display(uri) + ": " + e.getMessage(), e);
    }
  }

  static byte[] key(ModelKey model, String hash) {
    return ("quarry:v1:" + model.fingerprint() + ":" + hash).getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] encode(float[] vector) {
    ByteBuffer buffer = ByteBuffer.allocate(1 + 2 * vector.length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.put(FORMAT_FLOAT16);
    for (float v : vector) {
      buffer.putShort(Float.floatToFloat16(v));
    }
    return buffer.array();
  }

  /** The vector in {@code bytes}, or null when absent or not {@code dimensions} finite values. */
  public static float[] decode(byte[] bytes, int dimensions) {
    if (bytes == null || bytes.length != 1 + 2 * dimensions || bytes[0] != FORMAT_FLOAT16) {
      return null;
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes, 1, bytes.length - 1).order(ByteOrder.LITTLE_ENDIAN);
    float[] vector = new float[dimensions];
    for (int i = 0; i < dimensions; i++) {
      vector[i] = Float.float16ToFloat(buffer.getShort());
      if (!Float.isFinite(vector[i])) {
        return null;
      }
    }
    return vector;
  }

  /** The URI without its password, for messages. */
  static String display(URI uri) {
    return uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
  }

  /** The keys this tier holds for {@code model} (tests, stats); scans, so for small stores. */
  List<String> keys(ModelKey model) {
    return new ArrayList<>(client.keys("quarry:v1:" + model.fingerprint() + ":*"));
  }

  @Override
  public void close() {
    client.close();
  }
}
