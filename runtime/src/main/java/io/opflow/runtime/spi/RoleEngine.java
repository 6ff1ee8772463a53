package io.opflow.runtime.spi;

import io.micrometer.core.instrument.MeterRegistry;
import io.opflow.runtime.KafkaClientMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle every role's engine shares: the role's one producer and the metrics of its Kafka
 * clients, a {@link PollLoop} on its own daemon thread, health and failure read from that loop, and
 * a close that takes everything down in order. The role wires what is its own (consumers, pools,
 * the loop) and says what closing it takes; this class keeps the order.
 *
 * <p>{@link #close()} stops the loop and waits for its thread (the loop commits and closes its
 * consumer on the way out), runs the role's close steps in the order they were added, unbinds the
 * client metrics, and closes the producer last, so whatever the steps still send goes out. Every
 * step runs even if one before it throws; the first exception is rethrown at the end with the
 * others suppressed. Closing twice does nothing more; closing an engine never started runs the
 * steps and closes the producer without starting anything.
 *
 * <pre>{@code
 * RoleEngine engine = new RoleEngine("worker", producer, registry);
 * engine.bindMetrics(consumer);
 * engine.onClose(pool::shutdownNow);
 * engine.start(loop, "opflow-worker-poll", Duration.ofSeconds(30));
 * }</pre>
 */
public final class RoleEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RoleEngine.class);
  private static final Duration PRODUCER_CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private enum State {
    NEW,
    STARTED,
    CLOSED
  }

  private final String role;
  private final Producer<byte[], byte[]> producer;
  private final MeterRegistry registry;
  private final List<AutoCloseable> meterBindings = new ArrayList<>();
  private final List<Runnable> closeSteps = new ArrayList<>();
  private State state = State.NEW;
  private volatile PollLoop loop;
  private volatile Thread loopThread;
  private Duration joinTimeout = Duration.ZERO;

  /**
   * Creates an engine that owns a role's producer and binds its metrics.
   *
   * @param role the role, tagged on the client metrics as {@code opflow.role}
   * @param producer the role's producer; the engine closes it, last
   * @param registry where the Kafka client metrics go
   */
  public RoleEngine(String role, Producer<byte[], byte[]> producer, MeterRegistry registry) {
    this.role = Objects.requireNonNull(role, "role");
    this.producer = Objects.requireNonNull(producer, "producer");
    this.registry = Objects.requireNonNull(registry, "registry");
    meterBindings.add(KafkaClientMetrics.bind(producer, registry, role));
  }

  /**
   * Binds a consumer's metrics until the engine closes. The consumer stays the caller's (a poll
   * loop closes its own).
   *
   * @param consumer the consumer
   */
  public synchronized void bindMetrics(Consumer<?, ?> consumer) {
    requireNotClosed();
    meterBindings.add(KafkaClientMetrics.bind(consumer, registry, role));
  }

  /**
   * Adds a step to run on close, once the poll thread has ended (or never started), before the
   * producer closes: shutting a pool down, closing a helper's consumer. Steps run in the order
   * added.
   *
   * @param step the step
   */
  public synchronized void onClose(Runnable step) {
    requireNotClosed();
    closeSteps.add(Objects.requireNonNull(step, "step"));
  }

  /**
   * Starts the poll loop on a daemon thread.
   *
   * @param pollLoop the loop, whose consumer is not subscribed yet
   * @param threadName the thread's name, for thread dumps
   * @param joinTimeout how long {@link #close()} waits for the loop to finish the record in hand,
   *     commit and close its consumer
   * @throws IllegalStateException if the engine was started or closed already
   */
  public synchronized void start(PollLoop pollLoop, String threadName, Duration joinTimeout) {
    if (state != State.NEW) {
      throw new IllegalStateException("The " + role + " engine is " + describe(state));
    }
    this.joinTimeout = Objects.requireNonNull(joinTimeout, "joinTimeout");
    Thread thread = new Thread(Objects.requireNonNull(pollLoop, "pollLoop"), threadName);
    thread.setDaemon(true);
    this.loop = pollLoop;
    this.loopThread = thread;
    state = State.STARTED;
    thread.start();
  }

  /**
   * Returns whether the poll thread runs normally: started, alive, and its loop healthy (not
   * failed, not stopping, polled recently).
   *
   * @return true while healthy; false before start and after close
   */
  public boolean isHealthy() {
    Thread thread = loopThread;
    PollLoop current = loop;
    return thread != null && thread.isAlive() && current.isHealthy();
  }

  /**
   * Returns the error that stopped the poll loop for good.
   *
   * @return the error, or null while it runs, before start and after a clean close
   */
  public Throwable failure() {
    PollLoop current = loop;
    return current == null ? null : current.failure();
  }

  /**
   * Stops polling and waits for the poll thread, runs the close steps in order, unbinds the client
   * metrics and closes the producer. Idempotent.
   *
   * @throws RuntimeException the first one a step or the producer threw, after all were run
   */
  @Override
  public void close() {
    PollLoop stopping;
    Thread thread;
    Duration join;
    List<Runnable> steps;
    List<AutoCloseable> bindings;
    synchronized (this) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
      stopping = loop;
      thread = loopThread;
      join = joinTimeout;
      steps = List.copyOf(closeSteps);
      bindings = List.copyOf(meterBindings);
    }
    if (stopping != null) {
      stopping.stop();
      join(thread, join);
    }
    RuntimeException first = null;
    for (Runnable step : steps) {
      first = run(step, first);
    }
    for (AutoCloseable binding : bindings) {
      try {
        binding.close();
      } catch (Exception e) {
        LOG.debug("Unbinding Kafka client metrics failed", e);
      }
    }
    first = run(() -> producer.close(PRODUCER_CLOSE_TIMEOUT), first);
    if (first != null) {
      throw first;
    }
  }

  private static RuntimeException run(Runnable step, RuntimeException first) {
    try {
      step.run();
      return first;
    } catch (RuntimeException e) {
      if (first == null) {
        return e;
      }
      first.addSuppressed(e);
      return first;
    }
  }

  private static void join(Thread thread, Duration timeout) {
    try {
      thread.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void requireNotClosed() {
    if (state == State.CLOSED) {
      throw new IllegalStateException("The " + role + " engine is closed");
    }
  }

  private static String describe(State state) {
    return state == State.STARTED ? "started already" : "closed";
  }
}
