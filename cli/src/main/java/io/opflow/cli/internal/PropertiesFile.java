package io.opflow.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Reads a file of settings an option names, such as {@code --config-file}. */
public final class PropertiesFile {
  private PropertiesFile() {}

  /**
   * Reads a Java properties file.
   *
   * @param file the file
   * @param option the option that named it, for the error
   * @return its settings
   * @throws BadInputException saying which option's file could not be read, and why
   */
  public static Map<String, String> read(Path file, String option) {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    } catch (IOException e) {
      throw new BadInputException("cannot read " + option + " " + file + ": " + e.getMessage());
    }
    Map<String, String> settings = new LinkedHashMap<>();
    properties
        .stringPropertyNames()
        .forEach(name -> settings.put(name, properties.getProperty(name)));
    return settings;
  }
}
