package io.opflow.examples.slack;

/** Posts messages to a Slack channel. The resource the example hooks require. */
public interface Slack {
  /** Posts {@code message} to {@code channel}. */
  void postMessage(String channel, String message) throws Exception;
}
