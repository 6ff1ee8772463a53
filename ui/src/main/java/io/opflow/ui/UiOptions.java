package io.opflow.ui;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the web UI runs.
 *
 * @param port the HTTP port; 0 picks a free one
 * @param maxRuns how many runs to keep in memory; the oldest ended runs are forgotten first
 * @param readOnly when true, the UI offers no action (no cancel)
 * @param consumerGroups the consumer groups (and the coordinator's application id) whose members
 *     and lag the cluster page shows
 * @param bindAddress the address to listen on: {@code 0.0.0.0} for every interface, {@code
 *     127.0.0.1} for this host only
 * @param login the users who may open the UI (HTTP basic authentication), or null for no login
 * @param stateDir where the UI keeps a snapshot of its view and the offsets it read up to, so that
 *     a restarted UI reads only what is new; null for none (a restart reads the event topics from
 *     their beginning)
 * @param checkpointInterval how often the snapshot is written while the UI runs (it is written at
 *     shutdown too)
 */
public record UiOptions(
    int port,
    int maxRuns,
    boolean readOnly,
    List<String> consumerGroups,
    String bindAddress,
    UiLogin login,
    Path stateDir,
    Duration checkpointInterval) {
  /** The groups of roles started with their default settings. */
  public static final List<String> DEFAULT_GROUPS =
      List.of("opflow-coordinator", "opflow-workers", "opflow-hooks-runner");

  /** The address the UI listens on unless told otherwise: every interface. */
  public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";

  /** How many runs the UI keeps unless told otherwise. */
  public static final int DEFAULT_MAX_RUNS = 10_000;

  /** How often the view's snapshot is written unless told otherwise. */
  public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(30);

  /** Checks the options. */
  public UiOptions {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be from 0 to 65535, got " + port);
    }
    if (maxRuns < 1) {
      throw new IllegalArgumentException("maxRuns must be at least 1, got " + maxRuns);
    }
    consumerGroups = List.copyOf(consumerGroups);
    if (bindAddress == null || bindAddress.isBlank()) {
      throw new IllegalArgumentException("bindAddress must name an address, such as 127.0.0.1");
    }
    if (checkpointInterval == null
        || checkpointInterval.isNegative()
        || checkpointInterval.isZero()) {
      throw new IllegalArgumentException(
          "checkpointInterval must be positive, got " + checkpointInterval);
    }
  }

  /** Options with no state directory: a restart reads the event topics from their beginning. */
  public UiOptions(
      int port,
      int maxRuns,
      boolean readOnly,
      List<String> consumerGroups,
      String bindAddress,
      UiLogin login) {
    this(
        port,
        maxRuns,
        readOnly,
        consumerGroups,
        bindAddress,
        login,
        null,
        DEFAULT_CHECKPOINT_INTERVAL);
  }

  /** Options listening on every interface, with no login. */
  public UiOptions(int port, int maxRuns, boolean readOnly, List<String> consumerGroups) {
    this(port, maxRuns, readOnly, consumerGroups, DEFAULT_BIND_ADDRESS, null);
  }

  /** Returns the defaults: port 8080, 10,000 runs, actions on, the default groups. */
  public static UiOptions defaults() {
    return new UiOptions(8080, DEFAULT_MAX_RUNS, false, DEFAULT_GROUPS);
  }

  /** Returns these options on another port. */
  public UiOptions withPort(int newPort) {
    return new UiOptions(
        newPort,
        maxRuns,
        readOnly,
        consumerGroups,
        bindAddress,
        login,
        stateDir,
        checkpointInterval);
  }

  /** Returns these options keeping another number of runs. */
  public UiOptions withMaxRuns(int newMaxRuns) {
    return new UiOptions(
        port,
        newMaxRuns,
        readOnly,
        consumerGroups,
        bindAddress,
        login,
        stateDir,
        checkpointInterval);
  }

  /** Returns these options with actions on or off. */
  public UiOptions withReadOnly(boolean newReadOnly) {
    return new UiOptions(
        port,
        maxRuns,
        newReadOnly,
        consumerGroups,
        bindAddress,
        login,
        stateDir,
        checkpointInterval);
  }

  /** Returns these options showing other consumer groups. */
  public UiOptions withConsumerGroups(List<String> groups) {
    return new UiOptions(
        port, maxRuns, readOnly, groups, bindAddress, login, stateDir, checkpointInterval);
  }

  /** Returns these options listening on another address. */
  public UiOptions withBindAddress(String address) {
    return new UiOptions(
        port, maxRuns, readOnly, consumerGroups, address, login, stateDir, checkpointInterval);
  }

  /** Returns these options asking for a login, or none for null. */
  public UiOptions withLogin(UiLogin newLogin) {
    return new UiOptions(
        port,
        maxRuns,
        readOnly,
        consumerGroups,
        bindAddress,
        newLogin,
        stateDir,
        checkpointInterval);
  }

  /**
   * Returns these options keeping the view's snapshot in {@code dir}, or in none for null.
   *
   * @param dir a directory of this UI's own (it is locked while the UI runs); created if missing
   */
  public UiOptions withStateDir(Path dir) {
    return new UiOptions(
        port, maxRuns, readOnly, consumerGroups, bindAddress, login, dir, checkpointInterval);
  }

  /** Returns these options writing the view's snapshot at another interval. */
  public UiOptions withCheckpointInterval(Duration interval) {
    return new UiOptions(
        port, maxRuns, readOnly, consumerGroups, bindAddress, login, stateDir, interval);
  }
}
