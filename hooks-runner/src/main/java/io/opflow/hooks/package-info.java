/**
 * The hooks-runner role: fires the hooks of terminal step events and the run status sensors of
 * terminal run events, exactly once per idempotency key, and records each call in {@code
 * hook-events}.
 *
 * <p>Start one with {@link io.opflow.hooks.HooksRunner#start} and a {@link
 * io.opflow.hooks.HooksRunnerConfig}; {@link io.opflow.hooks.HookReplay} fires recorded calls
 * again. The whole path of a step, through the client, the coordinator, a worker and a
 * hooks-runner, with the class that does each hop: see {@code docs/step-lifecycle.md}.
 */
package io.opflow.hooks;
