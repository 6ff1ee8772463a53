package io.opflow.core.internal.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.opflow.core.config.ConfigProblem;
import io.opflow.core.config.InvalidRunConfigException;
import io.opflow.core.spi.ConfigBinder;
import io.opflow.core.spi.DurationValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Parses run config text and keeps run config trees in one normal shape: an object with optional
 * non-empty {@code ops} and {@code resources} sections, each mapping a name to an object with an
 * optional, non-null {@code config} (and, for an op node, an optional {@code timeout}). Also merges
 * trees for defaults.
 */
public final class RunConfigTrees {
  /** The top-level sections of a run config. */
  public static final String OPS = "ops";

  /** The section of resource configs. */
  public static final String RESOURCES = "resources";

  /** The field that holds a node's or resource's config. */
  public static final String CONFIG = "config";

  /** The field of an op node that overrides its op's timeout. */
  public static final String TIMEOUT = "timeout";

  private static final String ROOT = "run config";

  private static final ObjectMapper YAML =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private RunConfigTrees() {}

  /** Parses YAML (or JSON, a subset of YAML); source names the text in syntax errors, or null. */
  public static JsonNode parseYaml(String text, String source) {
    return parse(YAML, text, source);
  }

  /** Parses JSON; source names the text in syntax errors, or null. */
  public static JsonNode parseJson(String text, String source) {
    return parse(ConfigBinder.mapper(), text, source);
  }

  private static JsonNode parse(ObjectMapper mapper, String text, String source) {
    try {
      return mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidRunConfigException(List.of(syntaxProblem(e, source)));
    }
  }

  private static ConfigProblem syntaxProblem(JsonProcessingException e, String source) {
    JsonLocation location = e.getLocation();
    String where =
        location == null
            ? "syntax"
            : "line %d, column %d".formatted(location.getLineNr(), location.getColumnNr());
    return new ConfigProblem(source == null ? where : source + ", " + where, syntaxMessage(e));
  }

  /** Keeps the parser's sentences; drops the indented source excerpts and carets YAML adds. */
  private static String syntaxMessage(JsonProcessingException e) {
    return String.valueOf(e.getOriginalMessage())
        .lines()
        .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
        .collect(Collectors.joining("; "));
  }

  /**
   * Checks a parsed tree's shape and returns it in normal form.
   *
   * @throws InvalidRunConfigException listing every shape problem
   */
  public static ObjectNode normalize(JsonNode tree) {
    List<ConfigProblem> problems = new ArrayList<>();
    ObjectNode root = ConfigBinder.mapper().createObjectNode();
    if (tree != null && !tree.isNull() && !tree.isMissingNode()) {
      normalizeRoot(tree, root, problems);
    }
    if (!problems.isEmpty()) {
      throw new InvalidRunConfigException(problems);
    }
    return root;
  }

  private static void normalizeRoot(JsonNode tree, ObjectNode root, List<ConfigProblem> problems) {
    if (!tree.isObject()) {
      problems.add(expectedObject(ROOT, tree));
      return;
    }
    for (Map.Entry<String, JsonNode> field : tree.properties()) {
      String name = field.getKey();
      if (name.equals(OPS) || name.equals(RESOURCES)) {
        normalizeSection(name, field.getValue(), root, problems);
      } else {
        problems.add(unknown(name, OPS + ", " + RESOURCES));
      }
    }
  }

  private static void normalizeSection(
      String name, JsonNode section, ObjectNode root, List<ConfigProblem> problems) {
    if (section.isNull()) {
      return;
    }
    if (!section.isObject()) {
      problems.add(expectedObject(name, section));
      return;
    }
    ObjectNode out = ConfigBinder.mapper().createObjectNode();
    for (Map.Entry<String, JsonNode> entry : section.properties()) {
      String path = name + "." + entry.getKey();
      out.set(entry.getKey(), normalizeEntry(path, entry.getValue(), name.equals(OPS), problems));
    }
    if (!out.isEmpty()) {
      root.set(name, out);
    }
  }

  private static ObjectNode normalizeEntry(
      String path, JsonNode entry, boolean opNode, List<ConfigProblem> problems) {
    ObjectNode out = ConfigBinder.mapper().createObjectNode();
    if (!entry.isNull() && !entry.isObject()) {
      problems.add(expectedObject(path, entry));
      return out;
    }
    for (Map.Entry<String, JsonNode> field : entry.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (key.equals(CONFIG)) {
        if (!value.isNull()) {
          out.set(CONFIG, value.deepCopy());
        }
      } else if (opNode && key.equals(TIMEOUT)) {
        normalizeTimeout(path + "." + TIMEOUT, value, out, problems);
      } else {
        problems.add(unknown(path + "." + key, opNode ? CONFIG + ", " + TIMEOUT : CONFIG));
      }
    }
    return out;
  }

  private static void normalizeTimeout(
      String path, JsonNode value, ObjectNode out, List<ConfigProblem> problems) {
    if (value.isNull()) {
      return;
    }
    try {
      DurationValues.parse(value);
      out.set(TIMEOUT, value.deepCopy());
    } catch (IllegalArgumentException e) {
      problems.add(new ConfigProblem(path, e.getMessage()));
    }
  }

  private static ConfigProblem expectedObject(String path, JsonNode value) {
    return new ConfigProblem(path, "expected an object, got " + Describe.value(value));
  }

  private static ConfigProblem unknown(String path, String expected) {
    return new ConfigProblem(path, "unknown field; expected one of: " + expected);
  }

  /**
   * Deep-merges two trees into a new one: values in {@code preferred} win, objects merge
   * recursively, and lists, scalars and {@code {env: NAME}} references replace each other whole. A
   * null in {@code preferred} counts as absent.
   */
  public static JsonNode merge(JsonNode preferred, JsonNode fallback) {
    if (preferred == null || preferred.isNull() || preferred.isMissingNode()) {
      return fallback == null ? null : fallback.deepCopy();
    }
    if (!mergeable(preferred) || fallback == null || !mergeable(fallback)) {
      return preferred.deepCopy();
    }
    ObjectNode out = fallback.deepCopy();
    for (Map.Entry<String, JsonNode> field : preferred.properties()) {
      JsonNode merged = merge(field.getValue(), fallback.get(field.getKey()));
      out.set(field.getKey(), merged);
    }
    return out;
  }

  private static boolean mergeable(JsonNode node) {
    return node.isObject() && !EnvRef.is(node);
  }

  /** Returns the names in a section of a normal tree, in document order. */
  public static Set<String> names(ObjectNode root, String section) {
    Set<String> names = new LinkedHashSet<>();
    root.path(section).properties().forEach(field -> names.add(field.getKey()));
    return Collections.unmodifiableSet(names);
  }
}
