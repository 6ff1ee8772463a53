package io.opflow.benchmarks;

import io.opflow.testkit.EmbeddedKafkaBroker;
import java.util.concurrent.CountDownLatch;

/**
 * The broker of {@code --processes}: the test kit's {@link EmbeddedKafkaBroker} in a JVM of its
 * own. Prints {@value #READY} and the bootstrap servers once it answers, then serves until the JVM
 * stops (run under {@link ChildMain}, which stops it when the benchmark ends); a shutdown hook
 * closes the broker and deletes its data.
 */
public final class BrokerMain {
  /** What the broker prints, followed by its bootstrap servers, once it answers. */
  static final String READY = "bootstrap.servers=";

  private BrokerMain() {}

  /**
   * Starts the broker and serves until the JVM stops.
   *
   * @param args none
   * @throws InterruptedException never in practice: the JVM exits instead
   */
  public static void main(String[] args) throws InterruptedException {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
    Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "bench-broker-close"));
    System.out.println(READY + broker.bootstrapServers());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
