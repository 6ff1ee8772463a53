package io.opflow.benchmarks;

import io.opflow.core.Definitions;
import io.opflow.core.DefinitionsProvider;
import io.opflow.core.HookContext;
import io.opflow.core.HookDefinition;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.RetryPolicy;
import io.opflow.core.config.RunConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The fault matrix's job, loaded by class name in every role's JVM. {@code work} runs for 2 s (or
 * {@code ops.work.config.millis}, see {@link #workingFor}) and {@code finish} reads its output;
 * both retry once. Each op that returns, and each success hook that runs, appends one line to the
 * ledger file named by the system property {@value #LEDGER}: the external side effect the matrix
 * counts (ops by {@code run/step/attempt}, hooks by idempotency key); {@code work} also writes
 * which JVM ({@value #ROLE}) started it. Lines are appended with one write each, which the JVMs of
 * the matrix share safely.
 */
public final class LedgerDefinitions implements DefinitionsProvider {
  /** System property: the ledger file. */
  static final String LEDGER = "opflow.fault.ledger";

  /** System property: the name of the role's JVM, written with each op start. */
  static final String ROLE = "opflow.fault.role";

  static final String JOB = "ledgered";

  private static final RetryPolicy ONE_RETRY =
      RetryPolicy.builder().maxRetries(1).delay(Duration.ofMillis(100)).build();

  /**
   * The {@code work} op's config.
   *
   * @param millis how long it runs; 2000 when absent
   */
  public record WorkConfig(Optional<Long> millis) {}

  private static final long WORK_MILLIS = 2000;

  private static final OpDefinition<WorkConfig> WORK =
      OpDefinition.builder("work")
          .config(WorkConfig.class)
          .output(Integer.class)
          .retryPolicy(ONE_RETRY)
          .body(
              ctx -> {
                append(
                    "start "
                        + ctx.runId()
                        + "/"
                        + ctx.stepKey()
                        + "/"
                        + ctx.attempt()
                        + " "
                        + System.getProperty(ROLE));
                Thread.sleep(ctx.config().millis().orElse(WORK_MILLIS));
                append("op " + ctx.runId() + "/" + ctx.stepKey() + "/" + ctx.attempt());
                return 1;
              });

  private static final OpDefinition<?> FINISH =
      OpDefinition.builder("finish")
          .input("n", Integer.class)
          .output(Integer.class)
          .retryPolicy(ONE_RETRY)
          .body(
              ctx -> {
                append("op " + ctx.runId() + "/" + ctx.stepKey() + "/" + ctx.attempt());
                return ctx.input("n", Integer.class) + 1;
              });

  private static final HookDefinition RECORD =
      HookDefinition.successHook("record").handler(LedgerDefinitions::record);

  static final Definitions DEFS =
      Definitions.builder()
          .codeVersion("fault-matrix-1")
          .jobs(
              JobDefinition.builder(JOB)
                  .add(WORK)
                  .add(FINISH.input("n", "work"))
                  .hooks(RECORD)
                  .build())
          .build();

  /** Returns the run config that makes {@code work} run for {@code duration}. */
  static RunConfig workingFor(Duration duration) {
    return RunConfig.fromMap(
        Map.of("ops", Map.of("work", Map.of("config", Map.of("millis", duration.toMillis())))));
  }

  @Override
  public Definitions definitions() {
    return DEFS;
  }

  private static void record(HookContext ctx) {
    append("hook " + ctx.idempotencyKey());
  }

  private static void append(String line) {
    String file = System.getProperty(LEDGER);
    if (file == null) {
      return;
    }
    try {
      Files.write(
          Path.of(file),
          (line + "\n").getBytes(StandardCharsets.UTF_8),
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
