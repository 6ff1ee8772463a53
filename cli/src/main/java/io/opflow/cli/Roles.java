package io.opflow.cli;

import ch.qos.logback.classic.Level;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opflow.core.Definitions;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Shared plumbing of the role commands: definitions, meters, running until SIGTERM. */
final class Roles {
  private Roles() {}

  /** Loads definitions by provider class name, or every ServiceLoader provider when null. */
  static Definitions definitions(String providerClass) {
    return providerClass == null ? Definitions.load() : Definitions.load(providerClass);
  }

  /**
   * Returns a Prometheus registry with JVM meters bound, and logs at INFO for a long-lived role.
   */
  static PrometheusMeterRegistry registry() {
    Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    if (root instanceof ch.qos.logback.classic.Logger logback) {
      logback.setLevel(Level.INFO);
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    return registry;
  }

  /**
   * Prints where the role serves metrics, then blocks until the JVM is asked to stop (SIGTERM,
   * Ctrl-C), when a shutdown hook closes the role gracefully.
   */
  static int runUntilStopped(String name, AutoCloseable role, int metricsPort, PrintWriter out)
      throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    role.close();
                  } catch (Exception e) {
                    System.err.println(name + ": error while stopping: " + e);
                  } finally {
                    stopped.countDown();
                  }
                },
                "opflow-shutdown"));
    out.println(
        name
            + " running; metrics at http://localhost:"
            + metricsPort
            + "/metrics, health at /health; SIGTERM stops it");
    out.flush();
    stopped.await();
    return 0;
  }
}
