package io.opflow.containers.internal;

import com.github.dockerjava.api.exception.NotFoundException;
import io.opflow.containers.RequiresDocker;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.testcontainers.DockerClientFactory;

/**
 * Enforces {@link RequiresDocker}: skips the class when Docker or an image is missing, or fails it
 * in {@code beforeAll} when container tests are required.
 */
public final class DockerRequirementExtension implements ExecutionCondition, BeforeAllCallback {

  /** System property that makes container tests mandatory (or optional, when false). */
  public static final String REQUIRE_PROPERTY = "opflow.requireDocker";

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<RequiresDocker> annotation = classAnnotation(context);
    if (annotation.isEmpty() || context.getTestMethod().isPresent()) {
      return ConditionEvaluationResult.enabled("Docker requirement checked for the class");
    }
    ConditionEvaluationResult result = decide(problem(annotation.get().images()), required());
    if (result.isDisabled()) {
      // Standard output too: surefire does not print skip reasons in its summary.
      System.out.println(
          "[opflow] " + result.getReason().orElse("") + " [" + context.getDisplayName() + "]");
    }
    return result;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    Optional<RequiresDocker> annotation = classAnnotation(context);
    if (annotation.isEmpty() || !required()) {
      return;
    }
    problem(annotation.get().images())
        .ifPresent(
            p -> {
              throw new IllegalStateException(
                  "Container tests are required (CI=true or -D"
                      + REQUIRE_PROPERTY
                      + "=true) but there is "
                      + p);
            });
  }

  /** Runs when nothing is missing; otherwise skips, or lets {@link #beforeAll} fail. */
  static ConditionEvaluationResult decide(Optional<String> problem, boolean required) {
    if (problem.isEmpty()) {
      return ConditionEvaluationResult.enabled("Docker engine and images available");
    }
    if (required) {
      return ConditionEvaluationResult.enabled("required; failing in beforeAll: " + problem.get());
    }
    return ConditionEvaluationResult.disabled("SKIPPED container tests: " + problem.get());
  }

  /**
   * Returns whether a missing engine, image or tool fails the build rather than skipping the tests:
   * {@code -Dopflow.requireDocker}, else {@code CI=true}.
   *
   * @return true when container tests are required
   */
  public static boolean required() {
    String property = System.getProperty(REQUIRE_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Boolean.parseBoolean(property);
    }
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** What stops the tests from running, with the script that fixes it; empty when nothing. */
  static Optional<String> problem(String... images) {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      return Optional.of("no Docker engine (run deploy/scripts/start-docker.sh)");
    }
    List<String> missing = new ArrayList<>();
    for (String image : images) {
      if (!imageExists(image)) {
        missing.add(image);
      }
    }
    if (missing.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "no image " + String.join(", ", missing) + " (run deploy/scripts/build-images.sh)");
  }

  private static boolean imageExists(String image) {
    try {
      DockerClientFactory.instance().client().inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  private static Optional<RequiresDocker> classAnnotation(ExtensionContext context) {
    return context
        .getTestClass()
        .flatMap(c -> AnnotationSupport.findAnnotation(c, RequiresDocker.class));
  }

  /**
   * Skips the calling test visibly when docker-compose is not on the {@code PATH}, or fails it when
   * container tests are required.
   */
  public static void requireDockerCompose() {
    boolean present = onPath("docker-compose");
    if (!present && required()) {
      throw new IllegalStateException(
          "Container tests are required but docker-compose is not on PATH"
              + " (deploy/scripts/start-docker.sh installs it)");
    }
    if (!present) {
      System.out.println("[opflow] SKIPPED container tests: no docker-compose on PATH");
    }
    Assumptions.assumeTrue(present, "SKIPPED container tests: no docker-compose on PATH");
  }

  private static boolean onPath(String command) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator, -1)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
