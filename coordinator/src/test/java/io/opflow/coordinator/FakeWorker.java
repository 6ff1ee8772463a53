package io.opflow.coordinator;

import io.opflow.events.StepEvent;
import io.opflow.protocol.StepTask;
import io.opflow.schemas.OpflowSerdes;
import io.opflow.schemas.OpflowTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plays a worker with a plain consumer and producer: takes step tasks and answers each with
 * StepStarted then StepSucceeded whose output {@code result} is the step key as a JSON string.
 * While {@link #hold(boolean) held} it only collects tasks.
 */
final class FakeWorker implements AutoCloseable {
  private final KafkaConsumer<String, StepTask> consumer;
  private final KafkaProducer<String, StepEvent> producer;
  private final String tasksTopic;
  private final String eventsTopic;
  private final AtomicBoolean holding = new AtomicBoolean();
  private final List<StepTask> received = new CopyOnWriteArrayList<>();
  private final List<StepTask> pending = new ArrayList<>();
  private final List<String> vanishOn = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  FakeWorker(String bootstrap, OpflowTopics topics) {
    this.tasksTopic = topics.stepTasks();
    this.eventsTopic = topics.stepEvents();
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "workers-" + topics.prefix(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new StringDeserializer(),
            OpflowSerdes.stepTasks().deserializer());
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.LINGER_MS_CONFIG,
                0),
            new StringSerializer(),
            OpflowSerdes.stepEvents().serializer());
    this.thread = new Thread(this::loop, "fake-worker");
    thread.start();
  }

  /** Makes the worker start the first attempt of a step and then vanish without a result. */
  void vanishOnFirstAttemptOf(String stepKey) {
    vanishOn.add(stepKey);
  }

  void hold(boolean hold) {
    holding.set(hold);
  }

  List<StepTask> received() {
    return List.copyOf(received);
  }

  private void loop() {
    consumer.subscribe(List.of(tasksTopic));
    try {
      while (running) {
        for (ConsumerRecord<String, StepTask> record : consumer.poll(Duration.ofMillis(50))) {
          received.add(record.value());
          pending.add(record.value());
        }
        if (!holding.get()) {
          pending.forEach(this::answer);
          pending.clear();
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  private void answer(StepTask task) {
    Instant now = Instant.now();
    send(task, new io.opflow.events.StepStarted("fake", now.plusMillis(task.getLeaseMillis())));
    if (task.getAttempt() == 1 && vanishOn.contains(task.getStepKey())) {
      producer.flush();
      return;
    }
    String result = "\"" + task.getStepKey() + "\"";
    send(task, new io.opflow.events.StepSucceeded(Map.of("result", result), 1L, null));
    producer.flush();
  }

  private void send(StepTask task, Object payload) {
    StepEvent event =
        new StepEvent(
            task.getRunId(),
            task.getStepKey(),
            task.getAttempt(),
            task.getJobName(),
            task.getOpName(),
            Instant.now(),
            payload,
            null);
    try {
      producer.send(new ProducerRecord<>(eventsTopic, task.getRunId(), event)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted sending " + event, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not send " + event, e.getCause());
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(10_000);
    producer.close(Duration.ofSeconds(5));
  }
}
