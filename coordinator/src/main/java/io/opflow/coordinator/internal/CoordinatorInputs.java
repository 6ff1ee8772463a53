package io.opflow.coordinator.internal;

import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.events.StepHeartbeat;
import io.opflow.events.StepSkipped;
import io.opflow.events.StepStarted;
import io.opflow.events.StepSucceeded;
import io.opflow.events.StepUpForRetry;
import io.opflow.protocol.InputBinding;
import io.opflow.protocol.JobSnapshot;
import io.opflow.protocol.NodeSnapshot;
import io.opflow.protocol.ReexecutionOf;
import io.opflow.protocol.RetryPolicySnapshot;
import io.opflow.protocol.ReusedStep;
import io.opflow.protocol.RunCancelRequested;
import io.opflow.protocol.RunCommand;
import io.opflow.protocol.RunRequested;
import io.opflow.runtime.ErrorRecords;
import io.opflow.schemas.EventHeaders;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each record the coordinator reads into its own type ({@link CoordinatorInput}): the one
 * place that reads the generated wire records, as {@link CoordinatorRecords} is the one that builds
 * those it publishes. A step event's outputs are passed on as the record's map, not copied.
 *
 * <p>A record it has no type for (a payload it does not know, a record of another type) becomes
 * {@link CoordinatorInput.Unknown}, which the coordinator ignores, as it always has; each kind is
 * logged as a warning the first time, then at debug level. One instance per stream task.
 */
final class CoordinatorInputs {
  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorInputs.class);

  private final Set<String> reported = new HashSet<>();

  /**
   * Converts one record read from {@code runs} or {@code step-events}.
   *
   * @param key the record key
   * @param value the decoded value, null for a lease probe
   * @param headers the record headers
   * @return what the record says
   */
  CoordinatorInput read(String key, Object value, Headers headers) {
    if (value == null && EventHeaders.isLeaseProbe(headers)) {
      return new CoordinatorInput.LeaseProbe(
          EventHeaders.lastValue(headers, EventHeaders.LEASE_PROBE).orElse(null));
    } else if (value instanceof StepEvent event) {
      return step(event);
    } else if (value instanceof RunCommand command) {
      return command(key, command);
    }
    return unknown(value == null ? "a record with no value" : "a record of type " + typeOf(value));
  }

  private CoordinatorInput step(StepEvent event) {
    String runId = event.getRunId();
    String stepKey = event.getStepKey();
    int attempt = event.getAttempt();
    String opName = event.getOpName();
    Object payload = event.getPayload();
    if (payload instanceof StepHeartbeat beat) {
      return new StepInput.Heartbeat(
          runId,
          stepKey,
          attempt,
          opName,
          beat.getWorkerId(),
          leaseMillis(event, beat.getLeaseExpiresAt()));
    } else if (payload instanceof StepStarted started) {
      return new StepInput.Started(
          runId,
          stepKey,
          attempt,
          opName,
          started.getWorkerId(),
          leaseMillis(event, started.getLeaseExpiresAt()));
    } else if (payload instanceof StepSucceeded succeeded) {
      return new StepInput.Succeeded(
          runId,
          stepKey,
          attempt,
          opName,
          succeeded.getOutputsJson(),
          succeeded.getChainedStepKey());
    } else if (payload instanceof StepFailed failed) {
      return new StepInput.Failed(
          runId, stepKey, attempt, opName, ErrorRecords.fromAvro(failed.getError()));
    } else if (payload instanceof StepUpForRetry retry) {
      return new StepInput.UpForRetry(
          runId,
          stepKey,
          attempt,
          opName,
          retry.getRetryAt().toEpochMilli(),
          ErrorRecords.fromAvro(retry.getError()));
    } else if (payload instanceof StepSkipped) {
      return new StepInput.Skipped(runId, stepKey, attempt, opName);
    }
    return unknown("a step event with payload type " + typeOf(payload));
  }

  // The worker states its lease as an end on its own clock; only the length is taken from it
  // (StepEventCommand counts it from when it reads the event, on the coordinator's clock).
  private static long leaseMillis(StepEvent event, Instant leaseEnd) {
    return Math.max(0, leaseEnd.toEpochMilli() - event.getTimestamp().toEpochMilli());
  }

  private CoordinatorInput command(String key, RunCommand command) {
    Object payload = command.getPayload();
    if (payload instanceof RunRequested requested) {
      return request(key, requested);
    } else if (payload instanceof RunCancelRequested canceled) {
      return new CoordinatorInput.CancelRequest(key, canceled.getRunId(), canceled.getReason());
    }
    return unknown("a run command with payload type " + typeOf(payload));
  }

  private static CoordinatorInput.RunRequest request(String key, RunRequested request) {
    JobSnapshot job = request.getJob();
    return new CoordinatorInput.RunRequest(
        key,
        request.getRunId(),
        request.getJobName(),
        job.getCodeVersion(),
        request.getRunConfigJson(),
        nodes(job),
        reexecution(request.getReexecution()));
  }

  /** Returns the nodes of a job snapshot, as declared. */
  static List<CoordinatorInput.RunRequest.Node> nodes(JobSnapshot job) {
    List<CoordinatorInput.RunRequest.Node> nodes = new ArrayList<>(job.getNodes().size());
    for (NodeSnapshot node : job.getNodes()) {
      List<CoordinatorInput.RunRequest.Upstream> upstream =
          new ArrayList<>(node.getUpstream().size());
      for (InputBinding binding : node.getUpstream()) {
        upstream.add(
            new CoordinatorInput.RunRequest.Upstream(
                binding.getInputName(), binding.getFromStepKey(), binding.getFromOutput()));
      }
      nodes.add(
          new CoordinatorInput.RunRequest.Node(
              node.getStepKey(), node.getOpName(), upstream, retry(node.getRetryPolicy())));
    }
    return nodes;
  }

  private static StepSpec.Retry retry(RetryPolicySnapshot policy) {
    return new StepSpec.Retry(
        policy.getMaxRetries(),
        policy.getDelayMillis(),
        policy.getBackoffMultiplier(),
        List.copyOf(policy.getRetryOn()));
  }

  private static CoordinatorInput.RunRequest.Reexecution reexecution(ReexecutionOf reexecution) {
    if (reexecution == null) {
      return null;
    }
    List<CoordinatorInput.RunRequest.Reused> reused =
        new ArrayList<>(reexecution.getReusedSteps().size());
    for (ReusedStep step : reexecution.getReusedSteps()) {
      reused.add(new CoordinatorInput.RunRequest.Reused(step.getStepKey(), step.getOutputsJson()));
    }
    return new CoordinatorInput.RunRequest.Reexecution(reexecution.getParentRunId(), reused);
  }

  private CoordinatorInput unknown(String what) {
    if (reported.add(what)) {
      LOG.warn(
          "Ignoring {}: the coordinator does not know it (a newer writer?); logged once per kind",
          what);
    } else {
      LOG.debug("Ignoring {}", what);
    }
    return new CoordinatorInput.Unknown(what);
  }

  private static String typeOf(Object value) {
    return value == null ? "null" : value.getClass().getName();
  }
}
