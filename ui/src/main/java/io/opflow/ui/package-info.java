/**
 * Opflow's web UI: runs, their steps and attempts, and hook outcomes, built from the event topics
 * and kept live with server-sent events. Start it with {@link io.opflow.ui.UiServer#start}.
 */
package io.opflow.ui;
