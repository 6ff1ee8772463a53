package io.opflow.ui.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each op's config in a run config as submitted: {@code ops.NAME.config}, as JSON. References such
 * as {@code {env: NAME}} stay as they are: they are resolved on the worker, never here.
 */
final class StepConfigs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StepConfigs() {}

  static Map<String, String> of(String runConfigJson) {
    Map<String, String> configs = new LinkedHashMap<>();
    if (runConfigJson == null || runConfigJson.isBlank()) {
      return configs;
    }
    try {
      JsonNode ops = JSON.readTree(runConfigJson).path("ops");
      for (Map.Entry<String, JsonNode> op : ops.properties()) {
        JsonNode config = op.getValue().path("config");
        if (!config.isMissingNode()) {
          configs.put(op.getKey(), config.toString());
        }
      }
    } catch (java.io.IOException e) {
      configs.put("", "(the run config could not be read: " + e.getMessage() + ")");
    }
    return configs;
  }
}
