package io.opflow.core;

/** The body of a hook. An exception it throws is recorded as the hook having errored. */
@FunctionalInterface
public interface HookHandler {
  /** Reacts to a step's outcome. */
  void handle(HookContext context) throws Exception;
}
