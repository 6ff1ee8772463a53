package io.opflow.coordinator.internal;

import static io.opflow.coordinator.Jobs.node;
import static io.opflow.coordinator.Jobs.retry;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.opflow.coordinator.Jobs;
import io.opflow.coordinator.internal.CoordinatorInput.RunRequest;
import io.opflow.events.ErrorInfo;
import io.opflow.events.RunEvent;
import io.opflow.events.RunSucceeded;
import io.opflow.events.StackFrameInfo;
import io.opflow.events.StepEvent;
import io.opflow.events.StepFailed;
import io.opflow.events.StepHeartbeat;
import io.opflow.events.StepSkipped;
import io.opflow.events.StepStarted;
import io.opflow.events.StepSucceeded;
import io.opflow.events.StepUpForRetry;
import io.opflow.protocol.ReexecutionOf;
import io.opflow.protocol.ReusedStep;
import io.opflow.protocol.RunCancelRequested;
import io.opflow.protocol.RunCommand;
import io.opflow.protocol.RunRequested;
import io.opflow.runtime.ErrorRecords;
import io.opflow.schemas.EventHeaders;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class CoordinatorInputsTest {
  private static final Instant AT = Instant.ofEpochMilli(10_000);

  private final CoordinatorInputs inputs = new CoordinatorInputs();
  private final Logger logger = (Logger) LoggerFactory.getLogger(CoordinatorInputs.class);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  @BeforeEach
  void captureLog() {
    logged.start();
    logger.addAppender(logged);
  }

  @AfterEach
  void releaseLog() {
    logger.detachAppender(logged);
  }

  @Test
  void aHeartbeatCarriesItsWorkerAndTheLeaseLengthOnTheWorkersClock() {
    CoordinatorInput input = read(step(new StepHeartbeat("w1", AT.plusMillis(3000))));

    assertThat(input).isEqualTo(new StepInput.Heartbeat("run-1", "b", 2, "op_b", "w1", 3000));
  }

  @Test
  void aStartCarriesItsWorkerAndLeaseLengthNeverBelowZero() {
    assertThat(read(step(new StepStarted("w1", AT.plusMillis(500)))))
        .isEqualTo(new StepInput.Started("run-1", "b", 2, "op_b", "w1", 500));
    assertThat(read(step(new StepStarted("w1", AT.minusMillis(500)))))
        .isEqualTo(new StepInput.Started("run-1", "b", 2, "op_b", "w1", 0));
  }

  @Test
  void aSuccessPassesItsOutputsOnUncopiedWithTheChainedStep() {
    Map<String, String> outputs = Map.of("result", "1");
    StepSucceeded succeeded = new StepSucceeded(outputs, 5L, "c");

    StepInput.Succeeded input = (StepInput.Succeeded) read(step(succeeded));

    assertThat(input).isEqualTo(new StepInput.Succeeded("run-1", "b", 2, "op_b", outputs, "c"));
    assertThat(input.outputs()).isSameAs(outputs);
    assertThat(input.isResult()).isTrue();
  }

  @Test
  void aFailureCarriesTheWholeErrorAsCoreErrorInfo() {
    ErrorInfo cause = new ErrorInfo("Cause", null, List.of(), null, false);
    StackFrameInfo frame = new StackFrameInfo("a.B", "run", null, 7);
    ErrorInfo error = new ErrorInfo("java.io.IOException", "boom", List.of(frame), cause, true);

    StepInput.Failed input = (StepInput.Failed) read(step(new StepFailed(error, 5L, Map.of())));

    io.opflow.core.ErrorInfo expected =
        new io.opflow.core.ErrorInfo(
            "java.io.IOException",
            "boom",
            List.of(new io.opflow.core.ErrorInfo.Frame("a.B", "run", null, 7)),
            new io.opflow.core.ErrorInfo("Cause", null, List.of(), null, false),
            true);
    assertThat(input).isEqualTo(new StepInput.Failed("run-1", "b", 2, "op_b", expected));
    assertThat(ErrorRecords.toAvro(input.error())).isEqualTo(error);
  }

  @Test
  void anUpForRetryCarriesItsRetryTimeAndError() {
    ErrorInfo error = Jobs.error("flaky", true);
    StepInput input = (StepInput) read(step(new StepUpForRetry(3, AT.plusMillis(250), error)));

    assertThat(input)
        .isEqualTo(
            new StepInput.UpForRetry(
                "run-1", "b", 2, "op_b", 10_250, ErrorRecords.fromAvro(error)));
    assertThat(input.isResult()).isTrue();
  }

  @Test
  void aSkipIsTheCoordinatorsOwnOutputReadBack() {
    StepInput input = (StepInput) read(step(new StepSkipped("upstream failed")));

    assertThat(input).isEqualTo(new StepInput.Skipped("run-1", "b", 2, "op_b"));
    assertThat(input.isResult()).isFalse();
  }

  @Test
  void aRunRequestCarriesTheSnapshotsNodesAsDeclared() {
    RunCommand command =
        Jobs.request("run-1", List.of(node("b", retry(2, 100, "X"), "x=a.out", "y=a.more")));

    RunRequest request = (RunRequest) inputs.read("key-1", command, new RecordHeaders());

    assertThat(request.key()).isEqualTo("key-1");
    assertThat(request.runId()).isEqualTo("run-1");
    assertThat(request.jobName()).isEqualTo("etl");
    assertThat(request.codeVersion()).isEqualTo("1.0.0");
    assertThat(request.runConfigJson()).isEqualTo(Jobs.CONFIG_JSON);
    assertThat(request.reexecution()).isNull();
    assertThat(request.nodes())
        .containsExactly(
            new RunRequest.Node(
                "b",
                "op_b",
                List.of(
                    new RunRequest.Upstream("x", "a", "out"),
                    new RunRequest.Upstream("y", "a", "more")),
                new StepSpec.Retry(2, 100, 1.0, List.of("X"))));
  }

  @Test
  void aReexecutionKeepsItsReusedStepsInRequestOrderDuplicatesIncluded() {
    RunRequested requested = (RunRequested) Jobs.request("run-2", List.of(node("a"))).getPayload();
    requested.setReexecution(
        new ReexecutionOf(
            "run-1",
            List.of(
                new ReusedStep("a", Map.of("out", "1")), new ReusedStep("a", Map.of("out", "2")))));

    RunRequest request = (RunRequest) inputs.read("run-2", new RunCommand(requested), null);

    assertThat(request.reexecution())
        .isEqualTo(
            new RunRequest.Reexecution(
                "run-1",
                List.of(
                    new RunRequest.Reused("a", Map.of("out", "1")),
                    new RunRequest.Reused("a", Map.of("out", "2")))));
  }

  @Test
  void aCancelCarriesItsRunAndReason() {
    RunCommand command = new RunCommand(new RunCancelRequested("run-1", "enough", AT));

    assertThat(inputs.read("run-1", command, new RecordHeaders()))
        .isEqualTo(new CoordinatorInput.CancelRequest("run-1", "run-1", "enough"));
  }

  @Test
  void aLeaseProbeCarriesItsHeader() {
    RecordHeaders headers = new RecordHeaders();
    EventHeaders.set(headers, EventHeaders.EVENT_TYPE, EventHeaders.LEASE_PROBE_TYPE);
    EventHeaders.set(headers, EventHeaders.LEASE_PROBE, "task@123");

    assertThat(inputs.read("run-1", null, headers))
        .isEqualTo(new CoordinatorInput.LeaseProbe("task@123"));
  }

  @Test
  void anUnknownPayloadIsIgnoredAndReportedOncePerKind() {
    StepEvent odd = step(new RunSucceeded(5L));

    CoordinatorInput first = read(odd);
    CoordinatorInput second = read(odd);
    CoordinatorInput command = inputs.read("run-1", new RunCommand(new RunSucceeded(5L)), null);
    CoordinatorInput other =
        inputs.read("run-1", new RunEvent("run-1", "etl", AT, new RunSucceeded(5L)), null);

    assertThat(first)
        .isEqualTo(
            new CoordinatorInput.Unknown(
                "a step event with payload type " + RunSucceeded.class.getName()));
    assertThat(second).isEqualTo(first);
    assertThat(command)
        .isEqualTo(
            new CoordinatorInput.Unknown(
                "a run command with payload type " + RunSucceeded.class.getName()));
    assertThat(other)
        .isEqualTo(new CoordinatorInput.Unknown("a record of type " + RunEvent.class.getName()));
    assertThat(logged.list)
        .filteredOn(event -> event.getLevel() == Level.WARN)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            warning(((CoordinatorInput.Unknown) first).what()),
            warning(((CoordinatorInput.Unknown) command).what()),
            warning(((CoordinatorInput.Unknown) other).what()));
  }

  @Test
  void anUnknownInputGoesNowhere() {
    CoordinatorInput.Router router =
        new CoordinatorInput.Router() {
          @Override
          public void onStepEvent(StepInput event) {
            throw new AssertionError();
          }

          @Override
          public void onRunRequested(RunRequest request) {
            throw new AssertionError();
          }

          @Override
          public void onCancelRequested(CoordinatorInput.CancelRequest request) {
            throw new AssertionError();
          }

          @Override
          public void onLeaseProbe(CoordinatorInput.LeaseProbe probe) {
            throw new AssertionError();
          }
        };

    new CoordinatorInput.Unknown("anything").routeTo(router);
  }

  private static String warning(String what) {
    return "Ignoring "
        + what
        + ": the coordinator does not know it (a newer writer?); logged once per kind";
  }

  private CoordinatorInput read(StepEvent event) {
    return inputs.read("run-1", event, new RecordHeaders());
  }

  private static StepEvent step(Object payload) {
    return new StepEvent("run-1", "b", 2, "etl", "op_b", AT, payload, null);
  }
}
