package io.opflow.schemas;

/**
 * An existing topic whose setting differs from what Opflow expects.
 *
 * @param topic the topic name
 * @param setting the setting that differs: {@code partitions}, {@code cleanup.policy} or {@code
 *     retention.ms}
 * @param expected the value Opflow expects
 * @param actual the value the topic has
 */
public record TopicMismatch(String topic, String setting, String expected, String actual) {

  /**
   * Says what differs and what to do about it.
   *
   * @return a message for operators
   */
  public String message() {
    return "Topic '"
        + topic
        + "' has "
        + setting
        + "="
        + actual
        + " but Opflow expects "
        + expected
        + ". Opflow does not alter existing topics: "
        + advice();
  }

  private String advice() {
    if ("partitions".equals(setting)) {
      return "partitions can only grow (kafka-topics.sh --alter --partitions), and growing them"
          + " moves run ids to other partitions, so drain the topic first; or configure Opflow"
          + " with the existing count, keeping runs and step-events equal.";
    }
    return "change it with kafka-configs.sh --alter --entity-type topics --entity-name "
        + topic
        + " --add-config "
        + setting
        + "="
        + expected
        + ", or configure Opflow to expect "
        + actual
        + ".";
  }

  @Override
  public String toString() {
    return message();
  }
}
