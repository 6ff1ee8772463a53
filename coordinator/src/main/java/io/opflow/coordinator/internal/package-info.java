/**
 * Implementation of the coordinator: one Kafka Streams processor, one small class per command
 * ({@code RunRequestedCommand}, {@code CancelCommand}, {@code StepEventCommand}) and per
 * punctuation ({@code LeaseExpiryPunctuation}, {@code RetryPunctuation}). A run is stored as an
 * immutable plan written once ({@code RunPlan}, compiled and cached as {@code PlanIndex}), a small
 * summary, one small record per step ({@code StepRecord}) and the outputs of each succeeded step;
 * leases and retry times live in memory and are rebuilt from the stored steps on restore ({@code
 * TimerRestore}). {@code RunDriver} schedules from the step that changed through the successor
 * index, so an event costs in proportion to its fan-out, not to the run. No compatibility promise.
 */
package io.opflow.coordinator.internal;
