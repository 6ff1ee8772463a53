/**
 * The client: submits runs to the {@code runs} topic, cancels them, and follows them on the event
 * topics ({@link io.opflow.client.OpflowClient}, {@link io.opflow.client.RunWatch}).
 *
 * <p>The whole path of a step, through the client, the coordinator, a worker and a hooks-runner,
 * with the class that does each hop: see {@code docs/step-lifecycle.md}.
 */
package io.opflow.client;
