package io.opflow.ui.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Escaping and formatting for the pages: everything that comes from an event is escaped. */
final class Html {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Html() {}

  /** Escapes text for an element's content or a quoted attribute. */
  static String esc(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** Encodes a value for a URL's path segment or query. */
  static String url(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Formats epoch millis as UTC, or a dash when unknown. */
  static String time(long epochMillis) {
    return epochMillis <= 0 ? "–" : TIME.format(Instant.ofEpochMilli(epochMillis));
  }

  /** Formats how long something took, or a dash when it has not started or ended. */
  static String duration(long start, long end) {
    if (start <= 0 || end <= 0 || end < start) {
      return "–";
    }
    long millis = end - start;
    if (millis < 1000) {
      return millis + " ms";
    } else if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    return (millis / 60_000) + " min " + (millis % 60_000) / 1000 + " s";
  }

  /** A status as a badge whose colour says what it means. */
  static String badge(String status) {
    String kind =
        status == null ? "" : status.toLowerCase(Locale.ROOT).replace('_', '-').replace(' ', '-');
    return "<span class=\"badge " + esc(kind) + "\">" + esc(status) + "</span>";
  }
}
