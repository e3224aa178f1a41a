package dev.quarry.server;

import dev.quarry.pipeline.RunAssembler;
import dev.quarry.pipeline.RunProgress;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;

/**
 * What a serving process observes of itself, shared by the server and the runs that keep its index
 * (the watch's and the reconciles): one meter registry, which {@code GET /metrics} shows, with the
 * JVM's and the process's meters bound (memory, GC, threads, classes, CPU, open files, uptime,
 * resident memory), and the run in progress, which {@code GET /v1/status} shows.
 *
 * <p>Created before the first run, closed after the last one (and after the server): the runs of a
 * live index may still commit while the server stops. Thread-safe.
 */
public final class ServerTelemetry implements AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final RunProgress runs = new RunProgress();

  private ServerTelemetry() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new ProcessMemoryMetrics().bindTo(registry);
  }

  /** A registry with the JVM's and the process's meters bound, and no run in progress. */
  public static ServerTelemetry create() {
    return new ServerTelemetry();
  }

  /** Where the process's meters go (the watch's, for one). */
  public MeterRegistry registry() {
    return registry;
  }

  /** Makes {@code run} record its meters here and show as the run in progress while it runs. */
  public RunAssembler observe(RunAssembler run) {
    return run.metrics(registry).progress(runs);
  }

  /** The run in progress, if one observed here is. */
  public Optional<RunProgress.Snapshot> runInProgress() {
    return runs.current();
  }

  PrometheusMeterRegistry prometheus() {
    return registry;
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
