package io.opflow.cli.internal;

import io.opflow.client.BrokerUnreachableException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the Kafka broker every couple of seconds whether it answers, for a role's {@code /health}
 * and log: a role that cannot reach the broker, at start or later, says so instead of waiting in
 * silence.
 */
public final class BrokerWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerWatch.class);
  private static final Duration INTERVAL = Duration.ofSeconds(2);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REMINDER = Duration.ofSeconds(30);

  private final String bootstrapServers;
  private final Map<String, Object> adminProps;
  private final ScheduledExecutorService timer;
  private final CountDownLatch answered = new CountDownLatch(1);
  private final Instant started = Instant.now();
  private volatile Instant silentSince;
  private volatile boolean unresolvable;
  private volatile Admin admin;
  private Instant lastReminder = Instant.now();

  private BrokerWatch(String bootstrapServers, Map<String, Object> adminProps) {
    this.bootstrapServers = bootstrapServers;
    this.adminProps = Map.copyOf(adminProps);
    // At once, so that a bad kafka.* setting is refused before the role starts.
    this.admin = createAdmin();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "opflow-broker-watch");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts asking the broker at once, then every couple of seconds.
   *
   * @param bootstrapServers the address, for messages
   * @param adminProps Admin client settings: {@code bootstrap.servers} and any security settings
   * @return the watch; close it to stop
   */
  public static BrokerWatch start(String bootstrapServers, Map<String, Object> adminProps) {
    BrokerWatch watch = new BrokerWatch(bootstrapServers, adminProps);
    // The probe catches its own failures (a throw would end the schedule); close() stops it.
    ScheduledFuture<?> unused =
        watch.timer.scheduleWithFixedDelay(
            watch::probe, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return watch;
  }

  /**
   * Blocks until the broker has answered once.
   *
   * @param timeout how long to wait, or null to wait as long as it takes
   * @throws BrokerUnreachableException when the timeout passes first
   * @throws InterruptedException when interrupted
   */
  public void awaitAnswer(Duration timeout) throws InterruptedException {
    if (timeout == null) {
      answered.await();
    } else if (!answered.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new BrokerUnreachableException(bootstrapServers, timeout, null);
    }
  }

  /**
   * Says why the broker counts as unreachable, if it does.
   *
   * @return the reason, or empty while the broker answers
   */
  public Optional<String> problem() {
    if (answered.getCount() > 0) {
      return Optional.of(
          "waiting for the Kafka broker at " + bootstrapServers + ": " + why() + since(started));
    }
    Instant silent = silentSince;
    return silent == null
        ? Optional.empty()
        : Optional.of(
            "lost the Kafka broker at " + bootstrapServers + ": " + why() + since(silent));
  }

  private void probe() {
    Instant asked = Instant.now();
    if (answers()) {
      if (silentSince != null && answered.getCount() == 0) {
        LOG.info("The Kafka broker at {} answers again", bootstrapServers);
      }
      silentSince = null;
      answered.countDown();
    } else {
      noAnswer(asked);
    }
  }

  private void noAnswer(Instant asked) {
    Instant now = Instant.now();
    if (silentSince == null) {
      silentSince = asked;
      lastReminder = now;
      LOG.warn("{}; /health is DOWN until it answers", problem().orElseThrow());
    } else if (Duration.between(lastReminder, now).compareTo(REMINDER) >= 0) {
      lastReminder = now;
      LOG.warn("Still {}", problem().orElseThrow());
    }
  }

  private String why() {
    return unresolvable ? "its host name does not resolve" : "no answer";
  }

  /** Creates the Admin client, or returns null while no address of the servers resolves. */
  private Admin createAdmin() {
    try {
      Admin created = Admin.create(adminProps);
      unresolvable = false;
      return created;
    } catch (KafkaException e) {
      if (!BrokerUnreachableException.isUnresolvable(e)) {
        throw e;
      }
      unresolvable = true;
      return null;
    }
  }

  private boolean answers() {
    if (admin == null) {
      admin = createAdmin();
      if (admin == null) {
        return false;
      }
    }
    DescribeClusterOptions options =
        new DescribeClusterOptions().timeoutMs((int) PROBE_TIMEOUT.toMillis());
    try {
      admin
          .describeCluster(options)
          .clusterId()
          .get(PROBE_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String since(Instant start) {
    long seconds = Duration.between(start, Instant.now()).toSeconds();
    return " for " + seconds + " s (since " + start.truncatedTo(ChronoUnit.SECONDS) + ")";
  }

  @Override
  public void close() {
    timer.shutdownNow();
    Admin current = admin;
    if (current != null) {
      current.close(Duration.ofSeconds(1));
    }
  }
}
