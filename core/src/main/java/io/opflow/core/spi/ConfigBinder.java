package io.opflow.core.spi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.opflow.core.config.ConfigProblem;
import io.opflow.core.config.InvalidRunConfigException;
import io.opflow.core.config.NoConfig;
import io.opflow.core.internal.config.ConfigValidator;
import io.opflow.core.internal.config.ConfigWalker;
import io.opflow.core.internal.config.DurationModule;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a config value into an instance of its config type. It checks the value as {@link
 * ConfigValidator} does, resolves {@code {env: NAME}} references, then binds with Jackson.
 * Environment values never appear in a problem message: they may be secrets.
 */
public final class ConfigBinder {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new Jdk8Module())
          .addModule(new DurationModule())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .defaultPropertyInclusion(
              JsonInclude.Value.construct(
                  JsonInclude.Include.NON_ABSENT, JsonInclude.Include.USE_DEFAULTS))
          .build();

  private ConfigBinder() {}

  /**
   * Binds a config value to its config type, resolving {@code {env: NAME}} references with the
   * given lookup.
   *
   * @param path the path of the value, such as {@code resources.slack.config}, used in problems
   * @param type the config type
   * @param value the value, or null if absent; absent binds NoConfig to {@link NoConfig#INSTANCE}
   *     and other types as an empty object
   * @param envLookup returns a variable's value, or null if it is not set
   * @return the bound config
   * @throws InvalidRunConfigException listing every problem, if the value does not fit the type
   */
  public static <T> T bind(
      String path, Class<T> type, JsonNode value, Function<String, String> envLookup) {
    ConfigWalker walker = new ConfigWalker(envLookup);
    JsonNode resolved = walker.walkTop(path, type, value);
    // Whatever the op, resource or hook later throws or logs is cleaned of these values.
    walker.secrets().forEach(SecretValues::register);
    if (!walker.problems().isEmpty()) {
      throw new InvalidRunConfigException(walker.problems());
    }
    if (type == NoConfig.class) {
      return type.cast(NoConfig.INSTANCE);
    }
    return convert(path, type, resolved, walker.secrets());
  }

  /**
   * Binds a config value to its config type, resolving references from the process environment.
   *
   * @see #bind(String, Class, JsonNode, Function)
   */
  public static <T> T bind(String path, Class<T> type, JsonNode value) {
    return bind(path, type, value, System::getenv);
  }

  /**
   * Returns the shared object mapper for config and op values: Optional support, durations as
   * ISO-8601 text, unknown properties and duplicate keys refused. Do not reconfigure it.
   */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  private static <T> T convert(String path, Class<T> type, JsonNode resolved, Set<String> secrets) {
    try {
      return MAPPER.treeToValue(resolved, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      ConfigProblem problem = problem(path, type, e);
      String message = redact(problem.message(), secrets);
      throw new InvalidRunConfigException(List.of(new ConfigProblem(problem.path(), message)));
    }
  }

  private static ConfigProblem problem(String path, Class<?> type, Exception e) {
    String where = e instanceof JsonMappingException m ? path + pathOf(m) : path;
    if (e instanceof ValueInstantiationException && e.getCause() != null) {
      // The config type's own constructor refused the value; its message is written for users.
      return new ConfigProblem(where, String.valueOf(e.getCause().getMessage()));
    }
    String detail =
        e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
    return new ConfigProblem(where, "cannot bind to " + type.getSimpleName() + ": " + detail);
  }

  /** Hides every environment value in a message: they may be secrets. */
  private static String redact(String message, Set<String> secrets) {
    String redacted = message;
    for (String secret : secrets) {
      if (!secret.isEmpty()) {
        redacted = redacted.replace(secret, "***");
      }
    }
    return redacted;
  }

  private static String pathOf(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        path.append('.').append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }
}
