package io.opflow.core;

import java.time.Instant;

/**
 * The attempt a step was put up for, as a retry hook sees it.
 *
 * @param attempt the number of the next attempt, 2 for the first retry
 * @param dueAt when it may start at the earliest
 */
public record NextAttempt(int attempt, Instant dueAt) {}
