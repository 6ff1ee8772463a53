package io.opflow.runtime.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.opflow.core.spi.SecretValues;

/**
 * Logback's {@code %msg}, with every value this process resolved from an {@code {env: NAME}}
 * reference masked. Name it in a {@code logback.xml} for the word {@code msg}:
 *
 * <pre>{@code
 * <conversionRule conversionWord="msg"
 *     converterClass="io.opflow.runtime.logging.RedactingMessageConverter"/>
 * }</pre>
 *
 * The CLI's configuration does, for every role.
 */
public final class RedactingMessageConverter extends MessageConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return SecretValues.redact(super.convert(event));
  }
}
