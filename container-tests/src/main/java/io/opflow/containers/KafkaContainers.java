package io.opflow.containers;

import org.testcontainers.kafka.KafkaContainer;

/** Factories for Kafka containers built from the locally built {@link OpflowImages#KAFKA}. */
public final class KafkaContainers {

  private KafkaContainers() {}

  /**
   * Returns a new, not yet started single-node KRaft broker from {@link OpflowImages#KAFKA}.
   * Clients on the host reach it at {@link KafkaContainer#getBootstrapServers()} once started; the
   * caller stops it (it is {@link AutoCloseable}).
   *
   * @return a Testcontainers {@link KafkaContainer} over the local image
   */
  public static KafkaContainer local() {
    return new KafkaContainer(OpflowImages.kafka());
  }
}
