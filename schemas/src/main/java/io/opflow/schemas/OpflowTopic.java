package io.opflow.schemas;

import java.time.Duration;

/** The topics Opflow uses, each with its name suffix and default retention. */
public enum OpflowTopic {
  /**
   * Run requested / cancel requested; keyed by run id; written by clients, read by coordinators.
   */
  RUNS("runs", Duration.ofDays(7)),
  /** One step attempt to execute; keyed by run id and step key; read by workers. */
  STEP_TASKS("step-tasks", Duration.ofDays(1)),
  /**
   * Step lifecycle events; keyed by run id; read by coordinators, hooks-runners, custom readers.
   */
  STEP_EVENTS("step-events", Duration.ofDays(7)),
  /** Hook outcomes; keyed by run id; written by hooks-runners. */
  HOOK_EVENTS("hook-events", Duration.ofDays(7)),
  /** Run lifecycle events; keyed by run id; written by coordinators. */
  RUN_EVENTS("run-events", Duration.ofDays(7)),
  /** Records that could not be decoded or processed, with provenance headers; original key. */
  DEAD_LETTER("dead-letter", Duration.ofDays(30));

  private final String suffix;
  private final Duration defaultRetention;

  OpflowTopic(String suffix, Duration defaultRetention) {
    this.suffix = suffix;
    this.defaultRetention = defaultRetention;
  }

  /**
   * Returns the part of the topic name after the prefix, such as {@code step-events}.
   *
   * @return the name suffix
   */
  public String suffix() {
    return suffix;
  }

  /**
   * Returns how long the topic keeps records unless configured otherwise.
   *
   * @return the default retention
   */
  public Duration defaultRetention() {
    return defaultRetention;
  }
}
