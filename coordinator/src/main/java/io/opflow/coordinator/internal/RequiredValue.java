package io.opflow.coordinator.internal;

import io.opflow.schemas.EventHeaders;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A deserializer that refuses a record with no value, so that the dead-letter handler takes it like
 * any other undecodable record instead of the coordinator dropping it with a warning. The one
 * record with no value Opflow writes, the coordinator's lease probe, passes as {@code null}.
 */
final class RequiredValue<T> implements Deserializer<T> {
  private final Deserializer<T> delegate;

  private RequiredValue(Deserializer<T> delegate) {
    this.delegate = delegate;
  }

  static <T> Deserializer<T> of(Deserializer<T> delegate) {
    return new RequiredValue<>(delegate);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    return delegate.deserialize(topic, require(topic, data));
  }

  @Override
  public T deserialize(String topic, Headers headers, byte[] data) {
    if (data == null && headers != null && EventHeaders.isLeaseProbe(headers)) {
      return null; // the coordinator's own lease probe: it has no value by design
    }
    return delegate.deserialize(topic, headers, require(topic, data));
  }

  private static byte[] require(String topic, byte[] data) {
    if (data == null || data.length == 0) {
      throw new SerializationException(
          "record on " + topic + " has no value and is no lease probe, so it is dead-lettered");
    }
    return data;
  }

  @Override
  public void close() {
    delegate.close();
  }
}
