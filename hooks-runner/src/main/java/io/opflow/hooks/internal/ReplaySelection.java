package io.opflow.hooks.internal;

import io.opflow.core.Definitions;
import io.opflow.core.HookDefinition;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpNode;
import io.opflow.core.RunStatusSensor;
import io.opflow.core.UnknownDefinitionException;
import io.opflow.hooks.HookReplay;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The filters of a replay, checked against the loaded definitions: a job or hook (or run status
 * sensor) named must be loaded, so a typo is refused before anything is read.
 */
record ReplaySelection(Set<String> runIds, Instant from, Instant to, String job, String hook) {

  /**
   * Returns the options' filters.
   *
   * @throws UnknownDefinitionException naming what is loaded, for a job or hook that is not; a hook
   *     name may also be that of a loaded sensor (watching the job, when one is named)
   */
  static ReplaySelection check(HookReplay.Options options, Definitions definitions) {
    Collection<JobDefinition> jobs = definitions.jobs().values();
    if (options.job() != null) {
      jobs = List.of(definitions.job(options.job()));
    }
    Set<String> sensors = sensorNames(definitions, options.job());
    if (options.hook() != null
        && !hookNames(jobs).contains(options.hook())
        && !sensors.contains(options.hook())) {
      throw new UnknownDefinitionException(
          (options.job() == null
                  ? "no loaded job has a hook '" + options.hook() + "'; hooks loaded: "
                  : "job '" + options.job() + "' has no hook '" + options.hook() + "'; its hooks: ")
              + describe(hookNames(jobs))
              + (sensors.isEmpty() ? "" : "; sensors loaded: " + describe(sensors))
              + (options.job() == null ? "; jobs loaded: " + describe(jobNames(definitions)) : ""));
    }
    return new ReplaySelection(
        options.runIds(), options.from(), options.to(), options.job(), options.hook());
  }

  boolean run(String runId) {
    return runIds.isEmpty() || runIds.contains(runId);
  }

  /** Returns whether a step event's time is in the range: from inclusive, to exclusive. */
  boolean time(Instant timestamp) {
    return (from == null || !timestamp.isBefore(from)) && (to == null || timestamp.isBefore(to));
  }

  boolean timeBounded() {
    return from != null || to != null;
  }

  boolean job(String jobName) {
    return job == null || job.equals(jobName);
  }

  boolean hook(String hookName) {
    return hook == null || hook.equals(hookName);
  }

  private static Set<String> hookNames(Collection<JobDefinition> jobs) {
    Set<String> names = new TreeSet<>();
    for (JobDefinition job : jobs) {
      job.hooks().forEach(h -> names.add(h.name()));
      for (OpNode node : job.nodes()) {
        node.hooks().stream().map(HookDefinition::name).forEach(names::add);
      }
    }
    return names;
  }

  // The loaded sensors' names, those watching the job when one is named.
  private static Set<String> sensorNames(Definitions definitions, String job) {
    Set<String> names = new TreeSet<>();
    for (RunStatusSensor sensor : definitions.sensors()) {
      if (job == null || sensor.jobNames().isEmpty() || sensor.jobNames().contains(job)) {
        names.add(sensor.name());
      }
    }
    return names;
  }

  private static Set<String> jobNames(Definitions definitions) {
    return new TreeSet<>(definitions.jobs().keySet());
  }

  private static String describe(Set<String> names) {
    return names.isEmpty() ? "(none)" : String.join(", ", names);
  }
}
