package io.opflow.hooks.internal;

import io.opflow.core.HookDefinition;
import io.opflow.core.RunStatusSensor;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which hooks and run status sensors one hooks-runner serves: those matching an {@code include}
 * selector and no {@code exclude} selector. A selector is a name ({@code slack_on_failure}), a
 * pattern where {@code *} stands for any characters ({@code slack_*}), or a tag ({@code
 * tag:paging}, hooks only). Hooks-runners serving different hooks run under different consumer
 * groups, one lane of hooks each, so that a slow hook never delays another lane's.
 */
final class HookSelector {
  private static final String TAG = "tag:";

  private final List<Selector> include;
  private final List<Selector> exclude;
  private final String text;

  private HookSelector(List<Selector> include, List<Selector> exclude, String text) {
    this.include = include;
    this.exclude = exclude;
    this.text = text;
  }

  /** Serves every hook and sensor. */
  static HookSelector all() {
    return of(List.of("*"), List.of());
  }

  /**
   * Parses selectors.
   *
   * @param include what to serve; at least one
   * @param exclude what not to serve, of what {@code include} selects
   * @throws IllegalArgumentException naming a selector that is empty or malformed
   */
  static HookSelector of(List<String> include, List<String> exclude) {
    if (include.isEmpty()) {
      throw new IllegalArgumentException(
          "no hooks selected: give at least one name, pattern (slack_*) or tag (tag:paging), or *"
              + " for every hook");
    }
    String text =
        String.join(",", include)
            + (exclude.isEmpty() ? "" : " except " + String.join(",", exclude));
    return new HookSelector(parse(include), parse(exclude), text);
  }

  /** Returns whether this runner fires {@code hook}. */
  boolean serves(HookDefinition hook) {
    return include.stream().anyMatch(s -> s.matches(hook))
        && exclude.stream().noneMatch(s -> s.matches(hook));
  }

  /** Returns whether this runner runs {@code sensor}; tags never select a sensor. */
  boolean serves(RunStatusSensor sensor) {
    return include.stream().anyMatch(s -> s.matchesName(sensor.name()))
        && exclude.stream().noneMatch(s -> s.matchesName(sensor.name()));
  }

  /** Returns whether this selects everything, as a runner does by default. */
  boolean servesAll() {
    return exclude.isEmpty() && include.stream().anyMatch(Selector::isEverything);
  }

  @Override
  public String toString() {
    return text;
  }

  private static List<Selector> parse(List<String> selectors) {
    return selectors.stream().map(HookSelector::parse).toList();
  }

  private static Selector parse(String raw) {
    String selector = raw.trim();
    if (selector.isEmpty() || selector.equals(TAG)) {
      throw new IllegalArgumentException(
          "empty hook selector in '"
              + raw
              + "': give a name, a pattern such as slack_*, or a tag such as tag:paging");
    }
    if (selector.toLowerCase(Locale.ROOT).startsWith(TAG)) {
      return new Selector(selector, null, selector.substring(TAG.length()));
    }
    return new Selector(selector, glob(selector), null);
  }

  private static Pattern glob(String selector) {
    StringBuilder regex = new StringBuilder();
    for (String part : selector.split("\\*", -1)) {
      if (!regex.isEmpty()) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.compile(regex.toString());
  }

  // A name pattern, or a tag.
  private record Selector(String text, Pattern name, String tag) {
    boolean matches(HookDefinition hook) {
      return tag != null ? hook.tags().contains(tag) : name.matcher(hook.name()).matches();
    }

    boolean matchesName(String candidate) {
      return name != null && name.matcher(candidate).matches();
    }

    boolean isEverything() {
      return text.equals("*");
    }
  }
}
