package io.opflow.testkit;

import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that starts one {@link EmbeddedKafkaBroker} before the tests of a class and
 * stops it after them.
 *
 * <p>Register it on a static field so every test of the class shares the broker:
 *
 * <pre>{@code
 * @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();
 *
 * @Test void sends() { props.put("bootstrap.servers", kafka.bootstrapServers()); }
 * }</pre>
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {

  private final Map<String, String> overrides;
  private EmbeddedKafkaBroker broker;

  /** Creates an extension whose broker uses the default settings. */
  public KafkaBrokerExtension() {
    this(Map.of());
  }

  /**
   * Creates an extension whose broker uses the default settings with {@code overrides} on top.
   *
   * @param overrides broker settings, as for {@link EmbeddedKafkaBroker#start(Map)}
   */
  public KafkaBrokerExtension(Map<String, String> overrides) {
    this.overrides = Map.copyOf(overrides);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    broker = EmbeddedKafkaBroker.start(overrides);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (broker != null) {
      broker.close();
      broker = null;
    }
  }

  /**
   * Returns the running broker.
   *
   * @return the broker shared by the tests of the class
   * @throws IllegalStateException when no broker runs (the extension is not on a static field)
   */
  public EmbeddedKafkaBroker broker() {
    if (broker == null) {
      throw new IllegalStateException(
          "No broker is running: register KafkaBrokerExtension on a static field with"
              + " @RegisterExtension so it starts before the tests of the class");
    }
    return broker;
  }

  /**
   * Returns the {@code bootstrap.servers} value of the running broker.
   *
   * @return host and port of the broker
   */
  public String bootstrapServers() {
    return broker().bootstrapServers();
  }
}
