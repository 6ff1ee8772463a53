package io.opflow.cli.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;

/**
 * Renders a {@link ConfigDef} as a Markdown table and puts it between the marker comments of a
 * document ({@code <!-- settings:NAME:start -->} and {@code <!-- settings:NAME:end -->}), so the
 * settings docs come from the definitions the roles validate with.
 */
final class ConfigDocs {
  private static final String HEADER =
      """
      | key | type | default | valid values | importance | description |
      | --- | --- | --- | --- | --- | --- |
      """;

  private ConfigDocs() {}

  /**
   * Returns one table row per key of {@code definition}, in definition order.
   *
   * @param definition the keys
   * @param omitted keys left out, such as the shared ones a role's definition extends
   * @return the table, ending with a newline
   */
  static String table(ConfigDef definition, Set<String> omitted) {
    StringBuilder table = new StringBuilder(HEADER);
    for (ConfigKey key : definition.configKeys().values()) {
      if (!omitted.contains(key.name) && !key.internalConfig) {
        table.append(row(key)).append('\n');
      }
    }
    return table.toString();
  }

  private static String row(ConfigKey key) {
    List<String> cells = new ArrayList<>();
    cells.add(code(key.name));
    cells.add(key.type.name().toLowerCase(Locale.ROOT));
    cells.add(defaultValue(key));
    cells.add(key.validator == null ? "" : cell(key.validator.toString()));
    cells.add(key.importance.name().toLowerCase(Locale.ROOT));
    cells.add(cell(key.documentation));
    return "| " + String.join(" | ", cells) + " |";
  }

  private static String defaultValue(ConfigKey key) {
    if (key.alternativeString != null) {
      return cell(key.alternativeString);
    }
    if (!key.hasDefault()) {
      return "(required)";
    }
    String value = ConfigDef.convertToString(key.defaultValue, key.type);
    return value == null || value.isEmpty() ? "(empty)" : code(value);
  }

  private static String code(String text) {
    return "`" + text.replace("|", "\\|") + "`";
  }

  // Plain text in a cell: a pipe would end the cell, an asterisk could start emphasis.
  private static String cell(String text) {
    return text.replace("|", "\\|").replace("*", "\\*").replace("\n", " ");
  }

  /**
   * Returns {@code document} with the text between the markers of {@code section} replaced.
   *
   * @param document the Markdown document
   * @param section the marker name, such as {@code worker}
   * @param content the new text between the markers
   * @return the new document
   * @throws IllegalArgumentException when the document lacks the markers
   */
  static String replaceSection(String document, String section, String content) {
    Matcher matcher = markers(section).matcher(document);
    if (!matcher.find()) {
      throw missing(section);
    }
    return document.substring(0, matcher.start(2)) + content + document.substring(matcher.end(2));
  }

  /**
   * Returns the text between the markers of {@code section}.
   *
   * @param document the Markdown document
   * @param section the marker name, such as {@code worker}
   * @return the text between the markers
   * @throws IllegalArgumentException when the document lacks the markers
   */
  static String section(String document, String section) {
    Matcher matcher = markers(section).matcher(document);
    if (!matcher.find()) {
      throw missing(section);
    }
    return matcher.group(2);
  }

  private static IllegalArgumentException missing(String section) {
    return new IllegalArgumentException(
        "no <!-- settings:" + section + ":start --> ... end --> markers in the document");
  }

  private static Pattern markers(String section) {
    String name = Pattern.quote(section);
    return Pattern.compile(
        "(<!-- settings:" + name + ":start -->\n)(.*?)(<!-- settings:" + name + ":end -->)",
        Pattern.DOTALL);
  }
}
