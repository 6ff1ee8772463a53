package io.opflow.core.spi;

import java.time.Duration;

/**
 * A finished step attempt.
 *
 * @param outcome how it ended, with outputs and error
 * @param duration how long the op ran
 */
public record StepAttempt(StepOutcome outcome, Duration duration) {}
