package io.opflow.examples.slack;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A mock {@link Slack} that keeps every message, for assertions. */
final class RecordingSlack implements Slack {
  final List<String> messages = new CopyOnWriteArrayList<>();

  @Override
  public void postMessage(String channel, String message) {
    messages.add(channel + " " + message);
  }
}
