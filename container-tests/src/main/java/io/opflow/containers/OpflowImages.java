package io.opflow.containers;

import org.testcontainers.utility.DockerImageName;

/**
 * Names of the Docker images that {@code deploy/scripts/build-images.sh} builds on the local
 * engine. None of them is pulled from a registry.
 */
public final class OpflowImages {

  /** Debian bookworm with a headless OpenJDK 17: the base of the other images. */
  public static final String JRE = "opflow/jre:17";

  /** A Kafka 4.4.0 broker that honours the {@code apache/kafka} image's environment contract. */
  public static final String KAFKA = "opflow/kafka:4.4.0";

  /** The Opflow runtime: coordinator, worker or hooks-runner, chosen by the command. */
  public static final String OPFLOW = "opflow/opflow:dev";

  private OpflowImages() {}

  /**
   * Returns the local Kafka image, declared a substitute for {@code apache/kafka} so that
   * Testcontainers' {@code KafkaContainer} accepts it.
   *
   * @return the image name of {@link #KAFKA}
   */
  public static DockerImageName kafka() {
    return DockerImageName.parse(KAFKA).asCompatibleSubstituteFor("apache/kafka");
  }

  /**
   * Returns the Opflow runtime image.
   *
   * @return the image name of {@link #OPFLOW}
   */
  public static DockerImageName opflow() {
    return DockerImageName.parse(OPFLOW);
  }
}
