/**
 * Logback converters that keep secrets out of log lines: values resolved from {@code {env: NAME}}
 * references are masked in messages and stack traces. Optional: they need Logback on the class
 * path, and are used only where a {@code logback.xml} names them.
 */
package io.opflow.runtime.logging;
