package io.opflow.core;

/**
 * The computation of an op. The value it returns becomes the op's {@value
 * OutputDefinition#DEFAULT_NAME} output; ops with several outputs emit them with {@link
 * OpContext#output(String, Object)}.
 *
 * @param <C> the op's config type
 */
@FunctionalInterface
public interface OpBody<C> {
  /**
   * Runs the op once.
   *
   * @return the value of the default output, or {@code null} when the op declares none
   * @throws Exception to fail the step; the retry policy decides whether it is tried again
   */
  Object compute(OpContext<C> context) throws Exception;
}
