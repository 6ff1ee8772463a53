package io.opflow.client;

/** What a re-execution of an ended run runs again. */
public enum ReexecutionScope {
  /** Every step, as a new run of the same job snapshot and run config. */
  ALL,
  /**
   * The steps that did not succeed in the parent run and everything downstream of them; each step
   * that succeeded there is reused with the outputs it produced, and not run again.
   */
  FROM_FAILURE
}
