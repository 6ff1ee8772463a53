package io.opflow.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How often and when a failed step is tried again. Immutable; build one with {@link #builder()}.
 *
 * <p>Defaults: no retries, a delay of one second, a backoff multiplier of 1 (constant delay), and
 * every error type retriable. The delay before retry {@code n} (1-based) is {@code delay *
 * backoffMultiplier^(n-1)}.
 */
public final class RetryPolicy {
  private static final RetryPolicy NONE = builder().build();

  private final int maxRetries;
  private final Duration delay;
  private final double backoffMultiplier;
  private final List<String> retryOn;

  private RetryPolicy(Builder builder) {
    this.maxRetries = builder.maxRetries;
    this.delay = builder.delay;
    this.backoffMultiplier = builder.backoffMultiplier;
    this.retryOn = List.copyOf(builder.retryOn);
  }

  /** Returns the policy that never retries. */
  public static RetryPolicy none() {
    return NONE;
  }

  /** Returns a builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns how many times a step may be retried after its first attempt. */
  public int maxRetries() {
    return maxRetries;
  }

  /** Returns the delay before the first retry. */
  public Duration delay() {
    return delay;
  }

  /** Returns the factor each later delay is multiplied by. */
  public double backoffMultiplier() {
    return backoffMultiplier;
  }

  /** Returns the names of error types that are retried; empty means every type. */
  public List<String> retryOn() {
    return retryOn;
  }

  /** Returns the delay before the given retry, 1 being the first. */
  public Duration delayBeforeRetry(int retry) {
    double factor = Math.pow(backoffMultiplier, Math.max(0, retry - 1));
    return Duration.ofMillis(Math.round(delay.toMillis() * factor));
  }

  /**
   * Returns whether an error is of a retriable type: true when {@link #retryOn()} is empty or names
   * the error's class or one of its superclasses or interfaces.
   */
  public boolean isRetriable(Throwable error) {
    return retryOn.isEmpty()
        || ErrorTypes.namesOf(error.getClass()).stream().anyMatch(retryOn::contains);
  }

  /**
   * Returns whether an error known only by its type name (as it crossed Kafka) is retriable: true
   * when {@link #retryOn()} is empty or names that type.
   */
  public boolean isRetriableTypeName(String typeName) {
    return retryOn.isEmpty() || retryOn.contains(typeName);
  }

  /**
   * Returns whether attempt {@code attempt} (1-based) that failed with a retriable error may be
   * followed by another.
   */
  public boolean allowsAnotherAttempt(int attempt) {
    return attempt <= maxRetries;
  }

  /**
   * Returns the delay before the next try after try {@code tryNumber} (1-based) failed with {@code
   * error}, or null when that try was the last: the error is of a type not retried, or the retries
   * are used up. The one rule for steps' hooks and sensors' tries.
   *
   * @param tryNumber the try that failed, 1 for the first
   * @param error what it threw
   * @return the delay, or null for no further try
   */
  public Duration delayAfterFailedTry(int tryNumber, Throwable error) {
    return allowsAnotherAttempt(tryNumber) && isRetriable(error)
        ? delayBeforeRetry(tryNumber)
        : null;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RetryPolicy that
        && maxRetries == that.maxRetries
        && delay.equals(that.delay)
        && backoffMultiplier == that.backoffMultiplier
        && retryOn.equals(that.retryOn);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxRetries, delay, backoffMultiplier, retryOn);
  }

  @Override
  public String toString() {
    return "RetryPolicy[maxRetries="
        + maxRetries
        + ", delay="
        + delay
        + ", backoff="
        + backoffMultiplier
        + ", retryOn="
        + retryOn
        + "]";
  }

  /** Builds a {@link RetryPolicy}; every setter documents its default. */
  public static final class Builder {
    private int maxRetries;
    private Duration delay = Duration.ofSeconds(1);
    private double backoffMultiplier = 1.0;
    private List<String> retryOn = List.of();

    private Builder() {}

    /** Sets how many retries follow a failed first attempt; default 0. */
    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 0) {
        throw new IllegalArgumentException("maxRetries must be 0 or more, got " + maxRetries);
      }
      this.maxRetries = maxRetries;
      return this;
    }

    /** Sets the delay before the first retry; default one second. */
    public Builder delay(Duration delay) {
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay must not be negative, got " + delay);
      }
      this.delay = delay;
      return this;
    }

    /** Sets the factor applied to the delay for each later retry; default 1 (constant). */
    public Builder backoffMultiplier(double backoffMultiplier) {
      if (!(backoffMultiplier >= 1.0)) {
        throw new IllegalArgumentException(
            "backoffMultiplier must be 1 or more, got " + backoffMultiplier);
      }
      this.backoffMultiplier = backoffMultiplier;
      return this;
    }

    /** Retries only errors of these types or their subtypes; default: every type. */
    @SafeVarargs
    public final Builder retryOn(Class<? extends Throwable>... types) {
      String[] names = new String[types.length];
      for (int i = 0; i < types.length; i++) {
        names[i] = types[i].getName();
      }
      return retryOnTypeNames(names);
    }

    /**
     * Retries only errors whose type, or one of whose supertypes, has one of these fully qualified
     * names; {@code WorkerLost} names a worker that died mid-step.
     */
    public Builder retryOnTypeNames(String... typeNames) {
      this.retryOn = List.of(typeNames);
      return this;
    }

    /** Returns the policy. */
    public RetryPolicy build() {
      return new RetryPolicy(this);
    }
  }
}
