package io.opflow.runtime.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import io.opflow.core.spi.SecretValues;

/**
 * Logback's {@code %ex}, the stack trace of a logged exception, with every value this process
 * resolved from an {@code {env: NAME}} reference masked in the messages of the exception and its
 * causes. Name it in a {@code logback.xml} for the word {@code ex}, and end the pattern with {@code
 * %ex} so that Logback adds no unmasked trace of its own:
 *
 * <pre>{@code
 * <conversionRule conversionWord="ex"
 *     converterClass="io.opflow.runtime.logging.RedactingThrowableConverter"/>
 * }</pre>
 */
public final class RedactingThrowableConverter extends ThrowableProxyConverter {
  @Override
  protected String throwableProxyToString(IThrowableProxy proxy) {
    return SecretValues.redact(super.throwableProxyToString(proxy));
  }
}
