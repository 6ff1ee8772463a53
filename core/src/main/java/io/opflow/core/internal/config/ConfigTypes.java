package io.opflow.core.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.opflow.core.config.NoConfig;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Classifies config types and names them the way problem messages do. */
final class ConfigTypes {
  private ConfigTypes() {}

  /** Returns the class behind a type: the raw class of a generic type, Object if unknown. */
  static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return raw(p.getRawType());
    }
    if (type instanceof WildcardType w) {
      return raw(w.getUpperBounds()[0]);
    }
    return Object.class;
  }

  /** Returns the type argument at index, or Object for a raw type. */
  static Type argument(Type type, int index) {
    if (type instanceof ParameterizedType p) {
      return p.getActualTypeArguments()[index];
    }
    return type instanceof WildcardType w ? argument(w.getUpperBounds()[0], index) : Object.class;
  }

  /** Returns true for types that accept any value: Object and JsonNode. */
  static boolean isAnything(Class<?> raw) {
    return raw == Object.class || JsonNode.class.isAssignableFrom(raw);
  }

  /** Returns true for types read from a JSON object: records, maps, anything and NoConfig. */
  static boolean isObjectLike(Class<?> raw) {
    return raw.isRecord() || Map.class.isAssignableFrom(raw) || isAnything(raw);
  }

  /** Returns true for types read as a JSON list. */
  static boolean isCollection(Class<?> raw) {
    return Collection.class.isAssignableFrom(raw);
  }

  /** Returns the short name of a type, as in "missing required field (type integer)". */
  static String name(Type type) {
    Class<?> raw = raw(type);
    if (raw == Optional.class) {
      return name(argument(type, 0));
    }
    return Scalars.isScalar(raw) ? Scalars.name(raw) : structureName(raw);
  }

  /** Returns the name of a type with an article, as in "expected an integer". */
  static String expected(Type type) {
    Class<?> raw = raw(type);
    if (raw == Optional.class) {
      return expected(argument(type, 0));
    }
    return Scalars.isScalar(raw) ? Scalars.expected(raw) : withArticle(structureName(raw));
  }

  private static String structureName(Class<?> raw) {
    if (isCollection(raw)) {
      return "list";
    }
    return isAnything(raw) ? "any value" : "object";
  }

  private static String withArticle(String name) {
    return name.startsWith("any") ? name : (name.startsWith("o") ? "an " : "a ") + name;
  }

  /** Returns true if the type is NoConfig. */
  static boolean isNoConfig(Class<?> raw) {
    return raw == NoConfig.class;
  }

  /** Returns true if the type is Duration. */
  static boolean isDuration(Class<?> raw) {
    return raw == Duration.class;
  }

  /** Lists an enum's constants as "[A, B, C]". */
  static String enumNames(Class<?> raw) {
    return Arrays.stream(raw.getEnumConstants())
        .map(c -> ((Enum<?>) c).name())
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
