package io.opflow.core.internal;

import java.util.Map;

/** Boxing of primitive types, so declared types compare as values do. */
public final class Types {
  private static final Map<Class<?>, Class<?>> BOXES =
      Map.of(
          int.class, Integer.class,
          long.class, Long.class,
          double.class, Double.class,
          float.class, Float.class,
          boolean.class, Boolean.class,
          short.class, Short.class,
          byte.class, Byte.class,
          char.class, Character.class);

  private Types() {}

  /** Returns the box of a primitive type, or the type itself. */
  public static Class<?> boxed(Class<?> type) {
    return BOXES.getOrDefault(type, type);
  }
}
