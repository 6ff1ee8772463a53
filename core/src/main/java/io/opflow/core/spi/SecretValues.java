package io.opflow.core.spi;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The values this process resolved from {@code {env: NAME}} references, which may be secrets, and
 * their removal from text that leaves the process: error messages in events and log lines.
 *
 * <p>Every value {@link ConfigBinder} resolves is registered, with its URL-encoded forms (a token
 * in a URL's query string). {@link #redact} replaces each occurrence by {@value #MASK}, longest
 * value first. Values shorter than {@value #MIN_LENGTH} characters are not registered: masking
 * every {@code 1} or {@code on} in a message would hide more than it protects. The set is bounded;
 * the least recently registered values go first past {@value #MAX_VALUES}.
 */
public final class SecretValues {
  /** What a secret value is replaced by. */
  public static final String MASK = "***";

  /** The shortest value that is masked. */
  public static final int MIN_LENGTH = 4;

  /** The most values kept. */
  public static final int MAX_VALUES = 4096;

  private static final Set<String> VALUES = new LinkedHashSet<>();
  private static volatile List<String> longestFirst = List.of();

  private SecretValues() {}

  /** Registers a resolved value and its URL-encoded forms. */
  public static void register(String value) {
    if (value == null || value.length() < MIN_LENGTH) {
      return;
    }
    String formEncoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
    List<String> forms = List.of(value, formEncoded, formEncoded.replace("+", "%20"));
    synchronized (VALUES) {
      // Every bind of a config registers its values again: a known value only becomes the most
      // recent; the list redact() walks is rebuilt only when the set of values changes.
      boolean added = false;
      for (String form : forms) {
        added |= !VALUES.remove(form);
        VALUES.add(form);
      }
      for (Iterator<String> eldest = VALUES.iterator(); VALUES.size() > MAX_VALUES; ) {
        eldest.next();
        eldest.remove();
      }
      if (added) {
        List<String> sorted = new ArrayList<>(VALUES);
        sorted.sort((a, b) -> Integer.compare(b.length(), a.length()));
        longestFirst = List.copyOf(sorted);
      }
    }
  }

  /**
   * Returns {@code text} with every registered value masked.
   *
   * @param text any text, or null
   * @return the text without secret values, or null for null
   */
  public static String redact(String text) {
    if (text == null) {
      return null;
    }
    String redacted = text;
    for (String value : longestFirst) {
      if (redacted.contains(value)) {
        redacted = redacted.replace(value, MASK);
      }
    }
    return redacted;
  }

  /** Forgets every value; for tests. */
  public static void clear() {
    synchronized (VALUES) {
      VALUES.clear();
      longestFirst = List.of();
    }
  }
}
