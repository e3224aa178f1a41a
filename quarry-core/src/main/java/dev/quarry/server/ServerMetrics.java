package dev.quarry.server;

import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The server's own meters in the process's registry ({@link ServerTelemetry}), which {@code GET
 * /metrics} shows in Prometheus's text format: requests by route, mode and status (a latency
 * histogram each), the caches' hits and misses, and the index's size. Thread-safe.
 */
final class ServerMetrics {
  /** Routes named as they are; anything else is "other", so a scan cannot grow the meters. */
  private static final Set<String> ROUTES =
      Set.of(
          "/healthz",
          "/readyz",
          "/metrics",
          "/v1/search",
          "/v1/status",
          "/v1/runs",
          "/v1/index",
          "/v1/embeddings",
          "/v1/models",
          "/v1/openapi.json");

  private final PrometheusMeterRegistry registry;

  ServerMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  void monitor(Cache<?, ?> cache, String name) {
    CaffeineCacheMetrics.monitor(registry, cache, name);
  }

  /** A gauge of the index, read when scraped. */
  <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
    // Held strongly: Micrometer keeps a weak reference by default, and a source only the gauge
    // holds would be collected (the gauge then reads NaN).
    Gauge.builder(name, source, value)
        .description(description)
        .strongReference(true)
        .register(registry);
  }

  /** Records one request: its route (or "other"), the search mode (or "none") and its status. */
  void request(String path, String mode, int status, long nanos) {
    Timer.builder("quarry.http.requests")
        .description("HTTP requests by route, search mode and status")
        .tag("route", ROUTES.contains(path) ? path : "other")
        .tag("mode", mode == null ? "none" : mode)
        .tag("status", Integer.toString(status))
        .publishPercentileHistogram()
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry)
        .record(Duration.ofNanos(nanos));
  }

  /** The text of {@code GET /metrics}. */
  String scrape() {
    return registry.scrape();
  }
}
