package io.opflow.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Binds the metrics of Opflow's Kafka clients to a Micrometer registry, through Micrometer's own
 * {@link io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics}. Close the returned binding
 * before closing the client.
 */
public final class KafkaClientMetrics {

  private KafkaClientMetrics() {}

  /**
   * Binds a producer's metrics.
   *
   * @param producer the producer
   * @param registry the registry
   * @param role the Opflow role, added as tag {@code opflow.role}
   * @return the binding, to close with the producer
   */
  public static AutoCloseable bind(Producer<?, ?> producer, MeterRegistry registry, String role) {
    return bound(
        new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(producer, tags(role)),
        registry);
  }

  /**
   * Binds a consumer's metrics.
   *
   * @param consumer the consumer
   * @param registry the registry
   * @param role the Opflow role, added as tag {@code opflow.role}
   * @return the binding, to close with the consumer
   */
  public static AutoCloseable bind(Consumer<?, ?> consumer, MeterRegistry registry, String role) {
    return bound(
        new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(consumer, tags(role)),
        registry);
  }

  private static AutoCloseable bound(
      io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics metrics,
      MeterRegistry registry) {
    metrics.bindTo(registry);
    return metrics;
  }

  private static List<Tag> tags(String role) {
    return List.of(Tag.of("opflow.role", role));
  }
}
