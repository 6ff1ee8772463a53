package io.opflow.dev;

import io.opflow.cli.Main;
import io.opflow.dev.internal.LocalBroker;
import io.opflow.dev.internal.LocalBroker.PortTakenException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs a single-node Kafka broker for trying Opflow on one machine, until SIGTERM or Ctrl-C. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Run a single-node Kafka broker (KRaft) on 127.0.0.1 for trying Opflow on one machine; not"
          + " for production. Topics are not created on demand: the roles create Opflow's.",
      "Ctrl-C or SIGTERM stops it."
    })
final class BrokerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "9092",
      description = "Client port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Where to keep the data, kept across restarts; default: a temporary directory"
              + " deleted on exit.")
  Path dataDir;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    LocalBroker broker;
    try {
      broker = LocalBroker.start(port, dataDir);
    } catch (PortTakenException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return Main.BAD_INPUT;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  broker.close();
                  stopped.countDown();
                },
                "opflow-broker-shutdown"));
    out.println(
        "Kafka broker running at "
            + broker.address()
            + " (data in "
            + broker.dataDir()
            + (broker.temporary() ? ", deleted on exit" : "")
            + "); Ctrl-C stops it");
    out.flush();
    stopped.await();
    return 0;
  }
}
