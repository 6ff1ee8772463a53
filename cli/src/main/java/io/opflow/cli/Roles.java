package io.opflow.cli;

import ch.qos.logback.classic.Level;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opflow.cli.internal.AuthorizationHint;
import io.opflow.cli.internal.BadInputException;
import io.opflow.cli.internal.BrokerWatch;
import io.opflow.cli.internal.RoleEndpoint;
import io.opflow.schemas.OpflowTopics;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared plumbing of the role commands: serve {@code /health} from the start, wait for the broker,
 * create the topics, start the role, and run until SIGTERM.
 */
final class Roles {
  private static final Logger LOG = LoggerFactory.getLogger(Roles.class);
  private static final long FAILURE_CHECK_MILLIS = 500;

  private Roles() {}

  /**
   * A role once started: what closes it, whether it is healthy, and the error that stopped it for
   * good, if any.
   */
  record Started(
      AutoCloseable role, BooleanSupplier healthy, Supplier<Optional<Throwable>> failure) {}

  /** Starts a role once the broker answers and the topics exist. */
  @FunctionalInterface
  interface Starter {
    Started start(PrometheusMeterRegistry registry);
  }

  /**
   * Runs a role until the JVM is asked to stop (SIGTERM, Ctrl-C) or the role stops on an error it
   * cannot recover from. {@code /health} is served at once, DOWN with the reason while the broker
   * does not answer (at start or later) and until the role runs.
   *
   * @return 0 after SIGTERM; {@link Main#ROLE_FAILED} when the role stopped on an error, so that
   *     Docker, Compose or Kubernetes restart the process
   * @throws io.opflow.client.BrokerUnreachableException when {@code --connect-timeout} passes
   *     before the broker answers
   */
  static int run(
      String name,
      RoleOptions options,
      OpflowTopics topics,
      String definitions,
      Starter starter,
      PrintWriter out)
      throws InterruptedException {
    PrometheusMeterRegistry registry = registry();
    Lifecycle lifecycle = new Lifecycle(name);
    BrokerWatch broker =
        lifecycle.add(BrokerWatch.start(options.bootstrapServers, options.adminProps()));
    RoleEndpoint endpoint =
        lifecycle.add(
            RoleEndpoint.start(
                options.metricsAddress,
                options.metricsPort,
                registry,
                () -> lifecycle.problem(broker)));
    lifecycle.stopOnShutdown();
    try {
      broker.awaitAnswer(options.connectTimeout);
      ensureTopics(name, options, topics);
      lifecycle.started(starter.start(registry));
    } catch (RuntimeException | InterruptedException e) {
      lifecycle.close();
      throw e;
    }
    out.println(
        name
            + " running; metrics at http://localhost:"
            + endpoint.port()
            + "/metrics, health at /health; SIGTERM stops it"
            + (definitions == null ? "" : "\n" + name + " definitions: " + definitions));
    out.flush();
    Optional<Throwable> failure = lifecycle.awaitStopOrFailure();
    if (failure.isEmpty()) {
      return 0;
    }
    String reason =
        failure.get()
            + AuthorizationHint.of(failure.get(), aclRole(name))
                .map(hint -> ": " + hint)
                .orElse("");
    LOG.error("{} stopped on an error it cannot recover from; exiting", name, failure.get());
    System.err.println(
        "error: "
            + name
            + " stopped on an error it cannot recover from: "
            + reason
            + "; exiting with status "
            + Main.ROLE_FAILED
            + " so that its supervisor restarts it");
    lifecycle.close();
    return Main.ROLE_FAILED;
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

  /** What a role command holds, closed in reverse order on SIGTERM or when starting fails. */
  // A role may not create topics on a secured cluster: say what the operator does then.
  private static void ensureTopics(String name, RoleOptions options, OpflowTopics topics) {
    try {
      options.ensureTopics(topics);
    } catch (RuntimeException e) {
      Optional<String> hint = AuthorizationHint.of(e, aclRole(name));
      if (hint.isEmpty()) {
        throw e;
      }
      throw new BadInputException(name + " cannot check its topics: " + hint.get());
    }
  }

  // The ui reads as a watcher does and may submit and cancel; the other roles are named as such.
  private static String aclRole(String name) {
    return name.equals("ui") ? "watcher" : name;
  }

  private static final class Lifecycle {
    private final String name;
    private final List<AutoCloseable> parts = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Started role;

    Lifecycle(String name) {
      this.name = name;
    }

    synchronized <T extends AutoCloseable> T add(T part) {
      parts.add(part);
      return part;
    }

    synchronized void started(Started started) {
      role = started;
      parts.add(started.role());
    }

    Optional<String> problem(BrokerWatch broker) {
      Optional<String> brokerProblem = broker.problem();
      if (brokerProblem.isPresent()) {
        return brokerProblem;
      }
      Started current = role;
      if (current == null) {
        return Optional.of(name + " is starting");
      }
      return current.healthy().getAsBoolean()
          ? Optional.empty()
          : Optional.of(name + " is not processing normally; see its log");
    }

    void stopOnShutdown() {
      Runtime.getRuntime().addShutdownHook(new Thread(this::close, "opflow-shutdown"));
    }

    /** Waits for SIGTERM (empty) or for the role's failure, checked every 500 ms. */
    Optional<Throwable> awaitStopOrFailure() throws InterruptedException {
      while (!stopped.await(FAILURE_CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
        Optional<Throwable> failure = role.failure().get();
        if (failure.isPresent()) {
          return failure;
        }
      }
      return Optional.empty();
    }

    synchronized void close() {
      for (int i = parts.size() - 1; i >= 0; i--) {
        try {
          parts.get(i).close();
        } catch (Exception e) {
          System.err.println(name + ": error while stopping: " + e);
        }
      }
      parts.clear();
      stopped.countDown();
    }
  }
}
