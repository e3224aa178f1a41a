package dev.quarry.server;

import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * What {@code GET /metrics} shows, in Prometheus's text format: requests by route, mode and status
 * (a latency histogram each), the caches' hits and misses, the index's size, and the JVM's and the
 * process's own meters (memory, GC, threads, CPU, open files, uptime). Thread-safe.
 */
final class ServerMetrics implements AutoCloseable {
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

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  ServerMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** The registry, for the runs the server starts (their meters show here too). */
  PrometheusMeterRegistry registry() {
    return registry;
  }

  void monitor(Cache<?, ?> cache, String name) {
    CaffeineCacheMetrics.monitor(registry, cache, name);
  }

  /** A gauge of the index, read when scraped. */
  <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
    Gauge.builder(name, source, value).description(description).register(registry);
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

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
