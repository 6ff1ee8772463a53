package io.opflow.client;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.opflow.client.internal.CausalOrder;
import io.opflow.client.internal.JobSnapshots;
import io.opflow.client.internal.ParentRun;
import io.opflow.client.internal.ParentRunReader;
import io.opflow.client.internal.ReexecutionPlanner;
import io.opflow.client.spi.EventConsumer;
import io.opflow.core.Definitions;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpflowException;
import io.opflow.core.config.RunConfig;
import io.opflow.protocol.JobSnapshot;
import io.opflow.protocol.RunCancelRequested;
import io.opflow.protocol.RunCommand;
import io.opflow.protocol.RunRequested;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.schemas.OpflowTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Submits, cancels and watches runs on an Opflow cluster. Thread-safe; close it when done.
 *
 * <p>A broker that does not answer is reported within the connect timeout ({@value
 * #DEFAULT_CONNECT_TIMEOUT_SECONDS} s unless given) by a {@link BrokerUnreachableException}. Every
 * read uses {@code isolation.level=read_committed}, so events of an aborted coordinator transaction
 * are never seen.
 *
 * <pre>{@code
 * try (OpflowClient client = OpflowClient.create("localhost:9092")) {
 *   String runId = client.submit(definitions, "notif_all_dev", RunConfig.empty());
 *   RunOutcome outcome = client.awaitCompletion(runId, Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class OpflowClient implements AutoCloseable {
  /** How long the client waits for the broker to answer unless told otherwise, in seconds. */
  public static final long DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

  private final Map<String, Object> kafkaProps;
  private final OpflowTopics topics;
  private final Duration connectTimeout;
  private final Map<String, Map<String, Integer>> hooksPerStepByRun = new ConcurrentHashMap<>();
  private KafkaProducer<String, RunCommand> producer;
  private volatile boolean runsTopicSeen;

  private OpflowClient(
      Map<String, Object> kafkaProps, OpflowTopics topics, Duration connectTimeout) {
    this.kafkaProps = Map.copyOf(kafkaProps);
    this.topics = topics;
    this.connectTimeout = connectTimeout;
  }

  /**
   * Creates a client with the default topic names.
   *
   * @param bootstrapServers Kafka {@code bootstrap.servers}
   * @return the client
   */
  public static OpflowClient create(String bootstrapServers) {
    return create(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), OpflowTopics.defaults());
  }

  /**
   * Creates a client.
   *
   * @param kafkaProps Kafka client properties, at least {@code bootstrap.servers}
   * @param topics the topic names
   * @return the client
   */
  public static OpflowClient create(Map<String, Object> kafkaProps, OpflowTopics topics) {
    return create(kafkaProps, topics, Duration.ofSeconds(DEFAULT_CONNECT_TIMEOUT_SECONDS));
  }

  /**
   * Creates a client that gives up on a broker that does not answer within {@code connectTimeout}.
   *
   * @param kafkaProps Kafka client properties, at least {@code bootstrap.servers}
   * @param topics the topic names
   * @param connectTimeout how long to wait for the broker before a {@link
   *     BrokerUnreachableException}
   * @return the client
   */
  public static OpflowClient create(
      Map<String, Object> kafkaProps, OpflowTopics topics, Duration connectTimeout) {
    return new OpflowClient(kafkaProps, topics, connectTimeout);
  }

  /**
   * Validates the run config, then publishes a run request for a job of the definitions.
   *
   * @param definitions the code location, whose code version goes into the snapshot
   * @param jobName the job
   * @param config the run config
   * @return the run id
   * @throws io.opflow.core.UnknownDefinitionException naming the known jobs
   * @throws io.opflow.core.config.InvalidRunConfigException listing every problem
   * @throws BrokerUnreachableException when the broker does not answer within the connect timeout
   */
  public String submit(Definitions definitions, String jobName, RunConfig config) {
    return submit(definitions.job(jobName), config, definitions.codeVersion());
  }

  /**
   * Validates the run config, then publishes a run request.
   *
   * @param job the job
   * @param config the run config
   * @return the run id
   * @throws io.opflow.core.config.InvalidRunConfigException listing every problem; nothing is
   *     published then
   * @throws BrokerUnreachableException when the broker does not answer within the connect timeout
   */
  public String submit(JobDefinition job, RunConfig config) {
    return submit(job, config, "unversioned");
  }

  private String submit(JobDefinition job, RunConfig config, String codeVersion) {
    job.validate(config);
    String runId = UUID.randomUUID().toString();
    JobSnapshot snapshot = JobSnapshots.of(job, codeVersion);
    RunRequested requested =
        RunRequested.newBuilder()
            .setRunId(runId)
            .setJobName(job.name())
            .setRunConfigJson(config.toJson())
            .setRequestedAt(Instant.now())
            .setTags(Map.copyOf(job.tags()))
            .setJob(snapshot)
            .build();
    hooksPerStepByRun.put(runId, hooksPerStep(snapshot));
    send(runId, new RunCommand(requested));
    return runId;
  }

  /**
   * Re-executes an ended run: submits a new run of the same job snapshot and run config (so the
   * same code version), reading the parent from the topics. {@link ReexecutionScope#FROM_FAILURE}
   * reuses every step that succeeded in the parent, with its outputs, and runs the rest; {@link
   * ReexecutionScope#ALL} runs every step again. Hooks fire only for the steps that run.
   *
   * @param parentRunId the run to re-execute
   * @param scope what to run again
   * @return the new run's id
   * @throws RunNotReexecutableException when the parent is not on the topics, has not ended, or
   *     (from failure) has no step that did not succeed
   * @throws BrokerUnreachableException when the broker does not answer within the connect timeout
   */
  public String reexecute(String parentRunId, ReexecutionScope scope) {
    requireRunsTopic();
    ParentRun parent =
        ParentRunReader.read(kafkaProps, topics, parentRunId, connectTimeout.multipliedBy(6));
    String runId = UUID.randomUUID().toString();
    RunRequested requested =
        ReexecutionPlanner.plan(parentRunId, parent, scope, runId, Instant.now());
    hooksPerStepByRun.put(runId, hooksPerStep(requested.getJob()));
    send(runId, new RunCommand(requested));
    return runId;
  }

  private static Map<String, Integer> hooksPerStep(JobSnapshot job) {
    Map<String, Integer> counts = new HashMap<>();
    job.getNodes().forEach(node -> counts.put(node.getStepKey(), node.getHooks().size()));
    return counts;
  }

  /**
   * Refuses to publish before the runs topic exists: a producer would otherwise make a broker that
   * auto-creates topics create it with its own partition count, which the coordinator then refuses
   * as not co-partitioned with step-events.
   */
  private void requireRunsTopic() {
    if (runsTopicSeen) {
      return;
    }
    try (Admin admin = admin()) {
      if (!topicNames(admin).contains(topics.runs())) {
        throw new OpflowException(
            "topic "
                + topics.runs()
                + " does not exist yet: start the coordinator (the roles create Opflow's topics)"
                + " and submit again, or check that the topic prefix matches the cluster's");
      }
      runsTopicSeen = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("Interrupted while looking up " + topics.runs(), e);
    } catch (ExecutionException e) {
      throw new KafkaException("Could not look up topic " + topics.runs(), e.getCause());
    }
  }

  /** Lists the topics, or throws {@link BrokerUnreachableException} after the connect timeout. */
  private Set<String> topicNames(Admin admin) throws InterruptedException, ExecutionException {
    ListTopicsOptions options = new ListTopicsOptions().timeoutMs((int) connectTimeout.toMillis());
    try {
      return admin.listTopics(options).names().get(connectTimeout.toMillis() + 1000, MILLISECONDS);
    } catch (TimeoutException e) {
      throw unreachable(e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw unreachable(e.getCause());
      }
      throw e;
    }
  }

  private Admin admin() {
    try {
      return Admin.create(kafkaProps);
    } catch (KafkaException e) {
      if (BrokerUnreachableException.isUnresolvable(e)) {
        throw BrokerUnreachableException.unresolvable(address(), e);
      }
      throw e;
    }
  }

  private BrokerUnreachableException unreachable(Throwable cause) {
    return new BrokerUnreachableException(address(), connectTimeout, cause);
  }

  private String address() {
    Object servers = kafkaProps.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    return servers instanceof List<?> list
        ? String.join(",", list.stream().map(String::valueOf).toList())
        : String.valueOf(servers);
  }

  /** The producer, created on first use, once the broker has answered. */
  private synchronized KafkaProducer<String, RunCommand> producer() {
    if (producer == null) {
      Map<String, Object> props = new HashMap<>(kafkaProps);
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
      producer =
          new KafkaProducer<>(
              props, new StringSerializer(), OpflowSerdes.runCommands().serializer());
    }
    return producer;
  }

  /**
   * Asks the coordinator to cancel a run.
   *
   * @param runId the run
   * @param reason why, for people
   */
  public void cancel(String runId, String reason) {
    send(runId, new RunCommand(new RunCancelRequested(runId, reason, Instant.now())));
  }

  private void send(String runId, RunCommand command) {
    requireRunsTopic();
    try {
      producer().send(new ProducerRecord<>(topics.runs(), runId, command)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("Interrupted while publishing to " + topics.runs(), e);
    } catch (ExecutionException e) {
      throw new KafkaException("Could not publish to " + topics.runs(), e.getCause());
    }
  }

  /**
   * Starts following a run from the beginning of the event topics. For runs this client submitted,
   * the watch also waits for the hooks of every terminal step.
   *
   * @param runId the run
   * @return the watch; close it when done
   * @throws BrokerUnreachableException when the broker does not answer within the connect timeout
   */
  public RunWatch watch(String runId) {
    return new RunWatch(runId, consumer(runId, eventTopics()), hooksPerStepByRun.get(runId));
  }

  /**
   * Waits for a run to end, with the hooks of its terminal steps when this client submitted it.
   *
   * @param runId the run
   * @param timeout how long to wait at most
   * @return the outcome; not terminal if the timeout passed first
   */
  public RunOutcome awaitCompletion(String runId, Duration timeout) {
    try (RunWatch watch = watch(runId)) {
      return watch.await(timeout);
    }
  }

  /**
   * Reads every step, hook and run event of a run present now, in causal order: the run's start,
   * each step's updates in the order they happened, each hook after the end of its step attempt,
   * and the run's end last.
   *
   * @param runId the run
   * @return the updates
   */
  public List<RunUpdate> events(String runId) {
    return CausalOrder.sort(readAll(consumer(runId, eventTopics())));
  }

  /**
   * Reads every run event present now, of every run.
   *
   * @return the run updates in the order read
   */
  public List<RunUpdate> runEvents() {
    return readAll(consumer(null, List.of(topics.runEvents())));
  }

  private static List<RunUpdate> readAll(EventConsumer consumer) {
    try (consumer) {
      List<RunUpdate> updates = new ArrayList<>();
      do {
        updates.addAll(consumer.poll(Duration.ofMillis(200)));
      } while (!consumer.caughtUp());
      return updates;
    }
  }

  private List<String> eventTopics() {
    return List.of(topics.stepEvents(), topics.hookEvents(), topics.runEvents());
  }

  private EventConsumer consumer(String runId, List<String> names) {
    return new EventConsumer(kafkaProps, topics, runId, names, connectTimeout);
  }

  /**
   * Returns the topic names this client uses.
   *
   * @return the topics
   */
  public OpflowTopics topics() {
    return topics;
  }

  @Override
  public synchronized void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
