package io.opflow.schemas;

import io.opflow.events.HookEvent;
import io.opflow.events.RunEvent;
import io.opflow.events.StepEvent;
import io.opflow.protocol.RunCommand;
import io.opflow.protocol.StepTask;

/** Factories for the serde of each Opflow topic's value type. Each call returns a new instance. */
public final class OpflowSerdes {

  private OpflowSerdes() {}

  /**
   * Returns the serde of the {@code step-events} topic.
   *
   * @return a new serde
   */
  public static AvroEventSerde<StepEvent> stepEvents() {
    return new AvroEventSerde<>(StepEvent.class);
  }

  /**
   * Returns the serde of the {@code step-tasks} topic.
   *
   * @return a new serde
   */
  public static AvroEventSerde<StepTask> stepTasks() {
    return new AvroEventSerde<>(StepTask.class);
  }

  /**
   * Returns the serde of the {@code runs} topic.
   *
   * @return a new serde
   */
  public static AvroEventSerde<RunCommand> runCommands() {
    return new AvroEventSerde<>(RunCommand.class);
  }

  /**
   * Returns the serde of the {@code hook-events} topic.
   *
   * @return a new serde
   */
  public static AvroEventSerde<HookEvent> hookEvents() {
    return new AvroEventSerde<>(HookEvent.class);
  }

  /**
   * Returns the serde of the {@code run-events} topic.
   *
   * @return a new serde
   */
  public static AvroEventSerde<RunEvent> runEvents() {
    return new AvroEventSerde<>(RunEvent.class);
  }
}
