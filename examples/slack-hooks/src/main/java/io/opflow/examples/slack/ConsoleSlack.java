package io.opflow.examples.slack;

import java.io.PrintStream;

/** A {@link Slack} stand-in for development: prints each message instead of posting it. */
public final class ConsoleSlack implements Slack {
  private final PrintStream out;

  /** Prints to standard output. */
  public ConsoleSlack() {
    this(System.out);
  }

  /** Prints to {@code out}. */
  public ConsoleSlack(PrintStream out) {
    this.out = out;
  }

  @Override
  public void postMessage(String channel, String message) {
    out.println("[slack " + channel + "] " + message);
  }
}
