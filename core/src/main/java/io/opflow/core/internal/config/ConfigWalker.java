package io.opflow.core.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.opflow.core.config.ConfigProblem;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Walks a config value alongside its Java config type, collecting every problem with its path.
 * Given an environment lookup, it also returns a copy of the value with {@code {env: NAME}}
 * references replaced by typed values; without one, references are only checked for position. One
 * walker serves one walk.
 */
public final class ConfigWalker {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Null when validating only: references are then kept as they are. */
  private final Function<String, String> env;

  private final List<ConfigProblem> problems = new ArrayList<>();

  /** The values read from the environment, so that messages can hide them. */
  private final Set<String> secrets = new HashSet<>();

  public ConfigWalker(Function<String, String> env) {
    this.env = env;
  }

  /** Returns the problems found so far, in the order found. */
  public List<ConfigProblem> problems() {
    return problems;
  }

  /** Returns the values read from the environment: they must never appear in a message. */
  public Set<String> secrets() {
    return secrets;
  }

  /**
   * Walks a whole config value. An absent value means an empty object for object-like types and
   * nothing for NoConfig; for other types it is missing. Returns the value to bind, or null.
   */
  public JsonNode walkTop(String path, Type type, JsonNode value) {
    if (!isAbsent(value)) {
      return walk(path, type, value);
    }
    Class<?> raw = ConfigTypes.raw(type);
    if (ConfigTypes.isNoConfig(raw) || raw == Optional.class) {
      return null;
    }
    if (ConfigTypes.isObjectLike(raw)) {
      return walk(path, type, NODES.objectNode());
    }
    problem(path, "missing required config (type " + ConfigTypes.name(type) + ")");
    return null;
  }

  private JsonNode walk(String path, Type type, JsonNode value) {
    Class<?> raw = ConfigTypes.raw(type);
    if (raw == Optional.class) {
      return value.isNull() ? value : walk(path, ConfigTypes.argument(type, 0), value);
    }
    if (ConfigTypes.isNoConfig(raw)) {
      return walkNoConfig(path, value);
    }
    if (ConfigTypes.isAnything(raw)) {
      return resolveAll(path, value);
    }
    if (Scalars.isScalar(raw)) {
      return walkScalar(path, raw, value);
    }
    return walkStructure(path, type, raw, value);
  }

  private JsonNode walkStructure(String path, Type type, Class<?> raw, JsonNode value) {
    if (ConfigTypes.isCollection(raw)) {
      return walkList(path, type, value);
    }
    if (Map.class.isAssignableFrom(raw)) {
      return walkMap(path, type, value);
    }
    if (raw.isRecord()) {
      return walkRecord(path, raw, value);
    }
    problem(path, "unsupported config type " + type.getTypeName() + "; use a record");
    return value;
  }

  private JsonNode walkNoConfig(String path, JsonNode value) {
    if (!value.isNull() && !(value.isObject() && value.isEmpty())) {
      String owner = path.startsWith("resources.") ? "resource" : "op";
      problem(path, "this " + owner + " takes no config; remove it");
    }
    return value;
  }

  private JsonNode walkScalar(String path, Class<?> raw, JsonNode value) {
    if (EnvRef.is(value)) {
      return env == null ? value : resolveScalar(path, raw, EnvRef.name(value));
    }
    String message = Scalars.check(raw, value);
    if (message != null) {
      problem(path, message);
    }
    return value;
  }

  private JsonNode resolveScalar(String path, Class<?> raw, String name) {
    String text = lookup(path, name);
    if (text == null) {
      return null;
    }
    JsonNode typed = Scalars.fromText(raw, text);
    if (typed == null) {
      // Never show the value: it may be a secret.
      problem(path, "environment variable " + name + ": expected " + Scalars.expected(raw));
    }
    return typed;
  }

  private String lookup(String path, String name) {
    String text = env.apply(name);
    if (text == null) {
      problem(path, "environment variable " + name + " is not set");
    } else {
      secrets.add(text);
    }
    return text;
  }

  /** Accepts any value; when resolving, replaces every reference inside it by its text. */
  private JsonNode resolveAll(String path, JsonNode value) {
    if (env == null || !value.isContainerNode()) {
      return value;
    }
    if (EnvRef.is(value)) {
      String text = lookup(path, EnvRef.name(value));
      return text == null ? null : TextNode.valueOf(text);
    }
    return value.isArray() ? resolveAllElements(path, value) : resolveAllFields(path, value);
  }

  private JsonNode resolveAllElements(String path, JsonNode value) {
    ArrayNode out = NODES.arrayNode();
    for (int i = 0; i < value.size(); i++) {
      out.add(resolveAll(path + "[" + i + "]", value.get(i)));
    }
    return out;
  }

  private JsonNode resolveAllFields(String path, JsonNode value) {
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<String, JsonNode> field : value.properties()) {
      out.set(field.getKey(), resolveAll(child(path, field.getKey()), field.getValue()));
    }
    return out;
  }

  private boolean expectStructure(String path, Type type, JsonNode value, boolean list) {
    boolean fits = list ? value.isArray() : value.isObject() && !EnvRef.is(value);
    if (!fits) {
      String message = "expected " + ConfigTypes.expected(type) + ", got " + Describe.value(value);
      String hint = EnvRef.is(value) ? "; only scalar values may come from the environment" : "";
      problem(path, message + hint);
    }
    return fits;
  }

  private JsonNode walkList(String path, Type type, JsonNode value) {
    if (!expectStructure(path, type, value, true)) {
      return value;
    }
    Type element = ConfigTypes.argument(type, 0);
    ArrayNode out = NODES.arrayNode();
    for (int i = 0; i < value.size(); i++) {
      out.add(walk(path + "[" + i + "]", element, value.get(i)));
    }
    return out;
  }

  private JsonNode walkMap(String path, Type type, JsonNode value) {
    if (!expectStructure(path, type, value, false)) {
      return value;
    }
    Type valueType = ConfigTypes.argument(type, 1);
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<String, JsonNode> entry : value.properties()) {
      out.set(entry.getKey(), walk(child(path, entry.getKey()), valueType, entry.getValue()));
    }
    return out;
  }

  private JsonNode walkRecord(String path, Class<?> raw, JsonNode value) {
    if (!expectStructure(path, raw, value, false)) {
      return value;
    }
    Map<String, RecordComponent> components = components(raw);
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<String, JsonNode> field : value.properties()) {
      walkField(path, components, field, out);
    }
    components.values().forEach(c -> checkPresent(path, c, value.get(c.getName())));
    return out;
  }

  private void walkField(
      String path,
      Map<String, RecordComponent> components,
      Map.Entry<String, JsonNode> field,
      ObjectNode out) {
    String name = field.getKey();
    RecordComponent component = components.get(name);
    if (component == null) {
      problem(child(path, name), unknownField(components));
    } else if (!field.getValue().isNull()) {
      out.set(name, walk(child(path, name), component.getGenericType(), field.getValue()));
    }
  }

  private void checkPresent(String path, RecordComponent component, JsonNode value) {
    if (isAbsent(value) && component.getType() != Optional.class) {
      String type = ConfigTypes.name(component.getGenericType());
      problem(child(path, component.getName()), "missing required field (type " + type + ")");
    }
  }

  private static String unknownField(Map<String, RecordComponent> components) {
    if (components.isEmpty()) {
      return "unknown field; this config has no fields";
    }
    return "unknown field; expected one of: " + String.join(", ", components.keySet());
  }

  private static Map<String, RecordComponent> components(Class<?> raw) {
    Map<String, RecordComponent> components = new LinkedHashMap<>();
    for (RecordComponent component : raw.getRecordComponents()) {
      components.put(component.getName(), component);
    }
    return components;
  }

  private static boolean isAbsent(JsonNode value) {
    return value == null || value.isNull() || value.isMissingNode();
  }

  private static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private void problem(String path, String message) {
    problems.add(new ConfigProblem(path, message));
  }
}
