package io.opflow.containers;

import io.opflow.containers.internal.DockerRequirementExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs a Docker engine and locally built images.
 *
 * <p>When the engine or an image is missing, the class is skipped with a message saying which
 * script to run, printed to standard output as well so it shows in the build log. Where skipping
 * would hide a broken setup it fails instead: when the environment variable {@code CI} is {@code
 * true} or the system property {@code opflow.requireDocker} is {@code true} (the property, when
 * set, wins over {@code CI}).
 *
 * <p>Classes carrying it are tagged {@value #TAG}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Tag(RequiresDocker.TAG)
@ExtendWith(DockerRequirementExtension.class)
public @interface RequiresDocker {

  /** The JUnit tag of container tests. */
  String TAG = "container";

  /**
   * Returns the images that must exist on the engine, for example {@link OpflowImages#KAFKA}.
   *
   * @return image names with tags
   */
  String[] images() default {};
}
