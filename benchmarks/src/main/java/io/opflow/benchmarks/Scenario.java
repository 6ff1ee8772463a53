package io.opflow.benchmarks;

import java.util.List;

/** The fault matrix's scenarios, by name, in the order they run by default. */
final class Scenario {
  /**
   * {@code none}: no fault, the baseline. {@code worker-kill9}: a worker killed with -9 mid-step
   * (another started in its place). {@code worker-pause}: a worker stopped with SIGSTOP for two
   * leases, then resumed (its late results must be fenced). {@code worker-partition}: a worker cut
   * off the network for two leases with iptables while it goes on running, then reconnected (its
   * late results must be fenced; needs root). {@code broker-kill9}: one of three Kafka nodes killed
   * with -9 (started again after). {@code coordinator-kill9}: one of two coordinators killed with
   * -9 (the other takes over). {@code hooks-runner-kill9}: one of two hooks-runners killed with -9.
   * {@code workers-rolling-restart}: each worker stopped with SIGTERM mid-step and replaced, one
   * after the other (no op may run twice). {@code hooks-runners-down}: every hooks-runner stopped
   * for minutes, then started again (every hook fires once, late). {@code coordinators-down}: every
   * coordinator killed with -9 for two leases while 40 s steps run (no live step may be declared
   * lost). {@code poison-records}: undecodable and empty records written to every topic
   * (dead-lettered; every role stays up and healthy).
   */
  static final List<String> NAMES =
      List.of(
          "none",
          "worker-kill9",
          "worker-pause",
          "worker-partition",
          "broker-kill9",
          "coordinator-kill9",
          "hooks-runner-kill9",
          "workers-rolling-restart",
          "hooks-runners-down",
          "coordinators-down",
          "poison-records");

  /** Returns the scenarios this machine can run: worker-partition only with root and iptables. */
  static List<String> runnableHere() {
    return NAMES.stream()
        .filter(name -> !name.equals("worker-partition") || NetworkCut.available())
        .toList();
  }

  private Scenario() {}
}
