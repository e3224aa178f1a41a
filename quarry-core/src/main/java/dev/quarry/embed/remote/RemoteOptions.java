package dev.quarry.embed.remote;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach and treat a remote endpoint. {@link #of} gives the defaults; the {@code with*}
 * methods change one value.
 *
 * @param endpoint the base URL ({@code http://host:port/v1}) or the full {@code .../embeddings} URL
 * @param model the model name sent with each request
 * @param apiKey sent as a bearer token when present
 * @param maxTokens the window assumed when the server does not report a Quarry identity
 * @param concurrency the most requests in flight at once
 * @param requestTimeout how long one request may take
 * @param maxBatchTexts the most texts in one request (the adaptive size never goes above)
 * @param maxBatchTokens the most (approximate) tokens in one request
 * @param backoff retries of one request
 * @param breakerThreshold consecutive failures that open the circuit
 * @param breakerCoolDown how long an open circuit fails fast before a probe
 */
public record RemoteOptions(
    URI endpoint,
    String model,
    ApiKey apiKey,
    int maxTokens,
    int concurrency,
    Duration requestTimeout,
    int maxBatchTexts,
    int maxBatchTokens,
    Backoff backoff,
    int breakerThreshold,
    Duration breakerCoolDown) {

  public RemoteOptions {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(backoff, "backoff");
    if (concurrency < 1 || maxBatchTexts < 1 || maxBatchTokens < 1 || breakerThreshold < 1) {
      throw new IllegalArgumentException(
          "concurrency, batch bounds and breaker threshold must be positive");
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive, got " + requestTimeout);
    }
  }

  /**
   * Defaults: 4 requests in flight; up to 256 texts and 100k approximate tokens a request (OpenAI
   * takes 2048 inputs and 300k tokens); 60 s a request (a CPU server embedding 256 long texts takes
   * ~10 s); 5 tries; the circuit opens after 5 consecutive failures for 30 s.
   */
  public static RemoteOptions of(URI endpoint, String model, ApiKey apiKey, int maxTokens) {
    return new RemoteOptions(
        endpoint,
        model,
        apiKey,
        maxTokens,
        4,
        Duration.ofSeconds(60),
        256,
        100_000,
        Backoff.DEFAULT,
        5,
        Duration.ofSeconds(30));
  }

  public RemoteOptions withConcurrency(int count) {
    return new RemoteOptions(
        endpoint,
        model,
        apiKey,
        maxTokens,
        count,
        requestTimeout,
        maxBatchTexts,
        maxBatchTokens,
        backoff,
        breakerThreshold,
        breakerCoolDown);
  }

  public RemoteOptions withRequestTimeout(Duration timeout) {
    return new RemoteOptions(
        endpoint,
        model,
        apiKey,
        maxTokens,
        concurrency,
        timeout,
        maxBatchTexts,
        maxBatchTokens,
        backoff,
        breakerThreshold,
        breakerCoolDown);
  }

  public RemoteOptions withBatchBounds(int texts, int tokens) {
    return new RemoteOptions(
        endpoint,
        model,
        apiKey,
        maxTokens,
        concurrency,
        requestTimeout,
        texts,
        tokens,
        backoff,
        breakerThreshold,
        breakerCoolDown);
  }

  /** Retries: {@code attempts} tries in all, waits from {@code base} doubling up to {@code max}. */
  public RemoteOptions withRetries(int attempts, Duration base, Duration max) {
    return new RemoteOptions(
        endpoint,
        model,
        apiKey,
        maxTokens,
        concurrency,
        requestTimeout,
        maxBatchTexts,
        maxBatchTokens,
        new Backoff(attempts, base, max),
        breakerThreshold,
        breakerCoolDown);
  }

  public RemoteOptions withCircuitBreaker(int threshold, Duration coolDown) {
    return new RemoteOptions(
        endpoint,
        model,
        apiKey,
        maxTokens,
        concurrency,
        requestTimeout,
        maxBatchTexts,
        maxBatchTokens,
        backoff,
        threshold,
        coolDown);
  }
}
