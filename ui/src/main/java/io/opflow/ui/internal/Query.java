package io.opflow.ui.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** A request's query parameters, each checked when read; a bad one is a {@link BadRequest}. */
final class Query {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;
  private static final int MAX_VALUE_LENGTH = 200;

  private final Map<String, String> values = new HashMap<>();

  Query(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return;
    }
    for (String pair : rawQuery.split("&", -1)) {
      if (pair.isEmpty()) {
        continue; // "a=1&" or "a=1&&b=2"
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        values.put(decode(key), decode(value));
      } catch (IllegalArgumentException e) {
        throw new BadRequest(400, "the query string is not URL-encoded properly: " + pair);
      }
    }
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  /** Returns a free-text parameter, empty when absent. */
  String text(String name) {
    String value = values.getOrDefault(name, "").trim();
    if (value.length() > MAX_VALUE_LENGTH) {
      throw new BadRequest(
          400, name + " is longer than " + MAX_VALUE_LENGTH + " characters; shorten it");
    }
    return value;
  }

  /** Returns a long free-text parameter (a form's text area), untrimmed, empty when absent. */
  String longText(String name) {
    return values.getOrDefault(name, "");
  }

  /** Returns a parameter that must be one of {@code allowed}, empty when absent. */
  String oneOf(String name, Set<String> allowed) {
    String value = text(name);
    if (!value.isEmpty() && !allowed.contains(value)) {
      throw new BadRequest(
          400,
          name + " must be one of " + new java.util.TreeSet<>(allowed) + "; got '" + value + "'");
    }
    return value;
  }

  /** Returns how many rows to show: 1 to {@value #MAX_LIMIT}, {@value #DEFAULT_LIMIT} if absent. */
  int limit() {
    String value = text("limit");
    if (value.isEmpty()) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new BadRequest(
        400, "limit must be a whole number from 1 to " + MAX_LIMIT + "; got '" + value + "'");
  }
}
