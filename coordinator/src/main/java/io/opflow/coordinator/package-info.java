/**
 * The coordinator role: plans runs and advances them as step events arrive.
 *
 * <p>Start one with {@link io.opflow.coordinator.Coordinator#start} and a {@link
 * io.opflow.coordinator.CoordinatorConfig}. It reads run commands from {@code runs} and step events
 * from {@code step-events} (both keyed by run id, co-partitioned), and writes step tasks to {@code
 * step-tasks} (keyed {@code runId/stepKey}), its own verdicts and skips to {@code step-events}, and
 * run events to {@code run-events}. It loads no user code: the job snapshot in each run request is
 * all it needs.
 *
 * <p>Protocol, in short: for each {@code (run, step, attempt)} the first terminal event in the
 * {@code step-events} partition wins and every later or stale one is ignored; a running attempt
 * whose lease expires gets a {@code WorkerLost} verdict, published to {@code step-events} and
 * applied when read back; a retry is issued at its {@code retryAt}; a failed step skips its
 * downstream steps; every run ends with exactly one terminal run event.
 *
 * <p>The whole path of a step, through the client, the coordinator, a worker and a hooks-runner,
 * with the class that does each hop: see {@code docs/step-lifecycle.md}.
 */
package io.opflow.coordinator;
