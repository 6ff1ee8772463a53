package io.opflow.schemas;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * Every released version of the event schemas, shipped in this jar.
 *
 * <p>Layout on the class path: {@code io/opflow/schemas/released/versions.txt} lists the versions
 * (one a line, oldest first); {@code io/opflow/schemas/released/<version>/<Name>.avsc} holds each
 * top-level schema of that version, self-contained (shared types inlined), so each file parses on
 * its own. A released file is never edited; a release adds a folder.
 */
public final class ReleasedSchemas {

  /** Class path folder holding the released versions. */
  public static final String ROOT = "io/opflow/schemas/released/";

  private ReleasedSchemas() {}

  /** Returns the released versions, oldest first. */
  public static List<String> versions() {
    List<String> versions = new ArrayList<>();
    try (InputStream in = open(ROOT + "versions.txt").orElseThrow(ReleasedSchemas::missingIndex);
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      reader.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(versions::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return versions;
  }

  /** Returns the schema named {@code simpleName} as released in {@code version}, if it was. */
  public static Optional<Schema> schema(String version, String simpleName) {
    Optional<InputStream> file = open(ROOT + version + "/" + simpleName + ".avsc");
    if (file.isEmpty()) {
      return Optional.empty();
    }
    try (InputStream in = file.get()) {
      return Optional.of(new Schema.Parser().parse(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns every released version of the schema named {@code simpleName}, oldest first. */
  public static List<Schema> allVersionsOf(String simpleName) {
    List<Schema> schemas = new ArrayList<>();
    for (String version : versions()) {
      schema(version, simpleName).ifPresent(schemas::add);
    }
    return schemas;
  }

  private static Optional<InputStream> open(String resource) {
    return Optional.ofNullable(
        ReleasedSchemas.class.getClassLoader().getResourceAsStream(resource));
  }

  private static IllegalStateException missingIndex() {
    return new IllegalStateException(ROOT + "versions.txt is missing from the class path");
  }
}
