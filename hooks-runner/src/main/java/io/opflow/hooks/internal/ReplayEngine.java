package io.opflow.hooks.internal;

import io.opflow.core.Definitions;
import io.opflow.hooks.HookReplay;
import io.opflow.hooks.HookReplay.Call;
import io.opflow.hooks.HookReplay.Outcome;
import io.opflow.hooks.internal.ReplayPlanner.Planned;
import io.opflow.schemas.OpflowTopics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one {@link HookReplay}: checks the selection, plans the calls, lists or fires them. */
public final class ReplayEngine {
  private static final Logger LOG = LoggerFactory.getLogger(ReplayEngine.class);

  private final Map<String, ?> kafkaProps;
  private final OpflowTopics topics;
  private final Definitions definitions;
  private final Function<String, String> environment;
  private final String clientId =
      "opflow-hooks-replay-" + UUID.randomUUID().toString().substring(0, 8);

  /**
   * Creates an engine.
   *
   * @param kafkaProps Kafka client settings
   * @param topics the topic names
   * @param definitions the jobs whose hooks fire
   * @param environment resolves {@code {env: NAME}} in run configs
   */
  public ReplayEngine(
      Map<String, ?> kafkaProps,
      OpflowTopics topics,
      Definitions definitions,
      Function<String, String> environment) {
    this.kafkaProps = Map.copyOf(kafkaProps);
    this.topics = topics;
    this.definitions = definitions;
    this.environment = environment;
  }

  /** Plans the calls and lists them (dry run) or fires each once. */
  public HookReplay.Report run(HookReplay.Options options) {
    ReplaySelection selection = ReplaySelection.check(options, definitions);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps())) {
      TopicScan scan = new TopicScan(consumer, options.timeout());
      boolean samePartitionCount =
          scan.partitionCount(topics.stepEvents()) == scan.partitionCount(topics.hookEvents());
      if (options.calls() == HookReplay.Calls.DEAD_LETTERED) {
        scan.partitionCount(topics.deadLetter());
      }
      ReplayPlanner planner = new ReplayPlanner(scan, topics, definitions, selection);
      List<Planned> planned = planner.plan(options.calls());
      List<Call> calls = new ArrayList<>();
      if (options.dryRun()) {
        for (Planned call : planned) {
          calls.add(
              ReplayFiring.notFired(
                  call,
                  call.problem() == null
                      ? Outcome.WOULD_FIRE
                      : call.gone() ? Outcome.SOURCE_GONE : Outcome.NOT_LOADED,
                  null));
        }
        return new HookReplay.Report(true, calls, planner.notes());
      }
      if (!planned.isEmpty()) {
        // A sensor call's hook events go to its run event's partition number, likewise.
        boolean runEventsSamePartitionCount =
            planned.stream().anyMatch(Planned::runSensor)
                && scan.partitionCount(topics.runEvents())
                    == scan.partitionCount(topics.hookEvents());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps());
            ReplayFiring firing =
                new ReplayFiring(
                    producer,
                    scan,
                    topics,
                    samePartitionCount,
                    runEventsSamePartitionCount,
                    definitions,
                    environment,
                    options.timeout())) {
          for (Planned call : planned) {
            Call done = firing.fire(call);
            LOG.info(
                "{} call {} -> {}: {}",
                call.runSensor() ? "Sensor" : "Hook",
                done.key(),
                done.newKey(),
                done.outcome());
            calls.add(done);
          }
        }
      }
      return new HookReplay.Report(false, calls, planner.notes());
    }
  }

  private Map<String, Object> consumerProps() {
    Map<String, Object> props = new HashMap<>(kafkaProps);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId + "-reader");
    // Only committed events: a step event of an aborted coordinator transaction never happened.
    String committed = IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT);
    Object asked = props.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG);
    if (asked != null && !committed.equalsIgnoreCase(asked.toString())) {
      LOG.warn(
          "Ignoring {}={}: a replay reads committed events only",
          ConsumerConfig.ISOLATION_LEVEL_CONFIG,
          asked);
    }
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committed);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return props;
  }

  private Map<String, Object> producerProps() {
    Map<String, Object> props = new HashMap<>(kafkaProps);
    props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId + "-producer");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return props;
  }
}
