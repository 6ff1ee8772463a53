package io.opflow.hooks.internal;

import io.opflow.core.JobDefinition;
import io.opflow.core.config.RunConfig;
import io.opflow.core.spi.RunConfigs;
import io.opflow.core.spi.RunResources;
import io.opflow.events.StepEvent;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * What one lane keeps per run between its step events: the run config, parsed once and laid over
 * the job's defaults, and the run's resources, built on first use and shared by every hook of the
 * run, as in process. Bounded: the least recently used run goes beyond {@link #MAX_RUNS}, and a run
 * idle for {@link #IDLE} goes on the next sweep; its resources are closed when it goes, when the
 * run ends (its terminal run event), and when the lane closes.
 *
 * <p>Used on the lane's thread only. A run's events all share one partition, hence one lane, so no
 * run is ever in two caches of one process; and every hook of a step has returned or timed out
 * before the lane moves on, so resources are only closed between hooks (a timed-out hook that
 * ignores its interruption may still be using them, as it could when they were closed per event).
 */
final class RunCache {
  static final int MAX_RUNS = 64;
  static final Duration IDLE = Duration.ofSeconds(60);

  private final Function<String, String> environment;
  private final LongSupplier nanoClock;
  private final Map<String, Run> runs = new LinkedHashMap<>(16, 0.75f, true);

  RunCache(Function<String, String> environment, LongSupplier nanoClock) {
    this.environment = environment;
    this.nanoClock = nanoClock;
  }

  /** The cached state of one run. */
  static final class Run {
    private final String runId;
    private final String configJson;
    private final RunConfig config;
    private final JobDefinition job;
    private final Function<String, String> environment;
    private RunResources resources;
    private long lastUsed;

    private Run(String runId, String json, JobDefinition job, Function<String, String> env) {
      this.runId = runId;
      this.configJson = json;
      this.config = RunConfigs.overDefaults(json, job);
      this.job = job;
      this.environment = env;
    }

    /** Returns the run config laid over the job's defaults. */
    RunConfig config() {
      return config;
    }

    /** Returns a resource of the run, building it on first use. */
    Object resource(String key) {
      if (resources == null) {
        resources = new RunResources(runId, job.resources(), config, environment);
      }
      return resources.get(key);
    }

    private boolean matches(String json, JobDefinition other) {
      return job == other && Objects.equals(configJson, json);
    }

    private void close() {
      if (resources != null) {
        resources.close();
        resources = null;
      }
    }
  }

  /** Returns the run a step event belongs to, parsing its config only the first time. */
  Run get(StepEvent event, JobDefinition job) {
    String json = event.getRunConfigJson();
    Run run = runs.get(event.getRunId());
    if (run == null || !run.matches(json, job)) {
      // Every event of a run carries the same config; a different one starts afresh, to be safe.
      remove(event.getRunId());
      run = new Run(event.getRunId(), json, job, environment);
      runs.put(event.getRunId(), run);
      evictBeyondLimit();
    }
    run.lastUsed = nanoClock.getAsLong();
    return run;
  }

  /** Forgets a run that ended, closing its resources. */
  void remove(String runId) {
    Run run = runs.remove(runId);
    if (run != null) {
      run.close();
    }
  }

  /** Forgets runs idle for longer than {@link #IDLE}. */
  void sweep() {
    long cutoff = nanoClock.getAsLong() - IDLE.toNanos();
    for (Iterator<Run> it = runs.values().iterator(); it.hasNext(); ) {
      Run run = it.next();
      if (run.lastUsed - cutoff < 0) {
        it.remove();
        run.close();
      }
    }
  }

  /** Forgets every run, closing their resources. */
  void clear() {
    runs.values().forEach(Run::close);
    runs.clear();
  }

  int size() {
    return runs.size();
  }

  private void evictBeyondLimit() {
    Iterator<Run> eldest = runs.values().iterator();
    while (runs.size() > MAX_RUNS && eldest.hasNext()) {
      Run run = eldest.next();
      eldest.remove();
      run.close();
    }
  }
}
