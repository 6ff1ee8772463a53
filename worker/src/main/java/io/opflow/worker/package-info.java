/**
 * The worker role: runs step tasks from {@code step-tasks} on a bounded pool and publishes each
 * attempt's {@code StepStarted}, heartbeats and outcome to {@code step-events}.
 *
 * <p>Start one with {@link io.opflow.worker.Worker#start} and a {@link
 * io.opflow.worker.WorkerConfig}. The whole path of a step, through the client, the coordinator, a
 * worker and a hooks-runner, with the class that does each hop: see {@code docs/step-lifecycle.md}.
 */
package io.opflow.worker;
