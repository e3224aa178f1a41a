package dev.quarry.serve;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How an {@link EmbeddingServer} listens and what it bounds. Checked when built; {@link
 * EmbeddingServer#start} also refuses a non-loopback address without a token.
 *
 * @param address where to listen (port 0: any free port)
 * @param token the token every request must carry; required unless {@code address} is loopback
 * @param readTimeout the most time a client has to send a whole request (headers and body), from
 *     the moment its connection opens or its previous answer is sent; a slower client is dropped
 * @param maxConnections the most connections open at once; more wait in the accept queue
 * @param maxComputing the most requests the model embeds at once (it is CPU-bound: more only share
 *     the cores)
 * @param maxQueued the most requests waiting for the model beyond those; more get 503 with {@code
 *     Retry-After}
 * @param maxRequestBytes the largest request body accepted (413 beyond)
 */
public record ServeOptions(
    InetSocketAddress address,
    Optional<BearerToken> token,
    Duration readTimeout,
    int maxConnections,
    int maxComputing,
    int maxQueued,
    int maxRequestBytes) {

  /**
   * 8 MiB holds a batch of 2048 inputs of ~4 KB, more than any client sends in one call; a bound so
   * that one request cannot exhaust the heap.
   */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 8 << 20;

  /**
   * 8 MiB over a slow link (~2 Mbit/s) still arrives; a stalled client is gone in half a minute.
   */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Far more than clients need (Quarry's client keeps 4 requests in flight), few enough that open
   * connections cannot exhaust file descriptors or, with full bodies, the heap.
   */
  public static final int DEFAULT_MAX_CONNECTIONS = 128;

  /**
   * Requests waiting for the model beyond those it embeds: several clients' worth of concurrent
   * batches; beyond that a client is better told to come back than left waiting minutes.
   */
  public static final int DEFAULT_MAX_QUEUED = 64;

  public ServeOptions {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(readTimeout, "readTimeout");
    if (readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException("readTimeout must be positive, got " + readTimeout);
    }
    if (maxConnections < 1 || maxComputing < 1 || maxQueued < 0 || maxRequestBytes < 1) {
      throw new IllegalArgumentException(
          "maxConnections, maxComputing and maxRequestBytes must be positive and maxQueued not"
              + " negative, got "
              + maxConnections
              + ", "
              + maxComputing
              + ", "
              + maxRequestBytes
              + ", "
              + maxQueued);
    }
  }

  /**
   * Defaults on {@code address}, without a token: the model embeds as many requests at once as
   * there are cores.
   */
  public static ServeOptions of(InetSocketAddress address) {
    return new ServeOptions(
        address,
        Optional.empty(),
        DEFAULT_READ_TIMEOUT,
        DEFAULT_MAX_CONNECTIONS,
        Runtime.getRuntime().availableProcessors(),
        DEFAULT_MAX_QUEUED,
        DEFAULT_MAX_REQUEST_BYTES);
  }

  /** Defaults on the loopback address, port {@code port}. */
  public static ServeOptions loopback(int port) {
    return of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
  }

  public ServeOptions withToken(BearerToken value) {
    return new ServeOptions(
        address,
        Optional.of(value),
        readTimeout,
        maxConnections,
        maxComputing,
        maxQueued,
        maxRequestBytes);
  }

  public ServeOptions withToken(Optional<BearerToken> value) {
    return new ServeOptions(
        address, value, readTimeout, maxConnections, maxComputing, maxQueued, maxRequestBytes);
  }

  public ServeOptions withReadTimeout(Duration value) {
    return new ServeOptions(
        address, token, value, maxConnections, maxComputing, maxQueued, maxRequestBytes);
  }

  public ServeOptions withMaxConnections(int value) {
    return new ServeOptions(
        address, token, readTimeout, value, maxComputing, maxQueued, maxRequestBytes);
  }

  /** {@code computing} requests embedded at once, {@code queued} more waiting. */
  public ServeOptions withConcurrency(int computing, int queued) {
    return new ServeOptions(
        address, token, readTimeout, maxConnections, computing, queued, maxRequestBytes);
  }

  public ServeOptions withMaxRequestBytes(int value) {
    return new ServeOptions(
        address, token, readTimeout, maxConnections, maxComputing, maxQueued, value);
  }

  /** Whether the address is loopback only (a wildcard address is not). */
  public boolean loopbackOnly() {
    InetAddress ip = address.getAddress();
    return ip != null && ip.isLoopbackAddress();
  }
}
