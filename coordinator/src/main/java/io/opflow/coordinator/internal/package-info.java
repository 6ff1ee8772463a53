/**
 * Implementation of the coordinator: one Kafka Streams processor, one small class per command
 * ({@code RunRequestedCommand}, {@code CancelCommand}, {@code StepEventCommand}) and per
 * punctuation ({@code LeaseExpiryPunctuation}, {@code RetryPunctuation}), with run state as JSON in
 * changelog-backed stores. Scheduling itself is core's {@code RunProgress}. No compatibility
 * promise.
 */
package io.opflow.coordinator.internal;
