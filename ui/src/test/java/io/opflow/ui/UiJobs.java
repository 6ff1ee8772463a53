package io.opflow.ui;

import io.opflow.core.Definitions;
import io.opflow.core.HookDefinition;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;

/** The jobs the UI tests run: one that fails with HTML in its error, one that takes a while. */
final class UiJobs {
  static final String FAILING = "failing";
  static final String SLOW = "slow";
  static final String GREETING = "greeting";
  static final String SLEEPY = "sleepy";

  private static final OpDefinition<?> DOZE =
      OpDefinition.builder("doze")
          .output(Integer.class)
          .body(
              ctx -> {
                Thread.sleep(120_000); // until canceled
                return 1;
              });

  /**
   * The {@code greet} op's config.
   *
   * @param name whom to greet
   * @param times how many times
   */
  public record Greeting(String name, int times) {}

  private static final OpDefinition<Greeting> GREET =
      OpDefinition.builder("greet")
          .config(Greeting.class)
          .output(String.class)
          .body(ctx -> ("hello " + ctx.config().name() + " ").repeat(ctx.config().times()));
  static final String ERROR = "boom <b>not bold</b> <script>window.injected = 1</script>";

  private static final OpDefinition<?> PREPARE =
      OpDefinition.builder("prepare").output(Integer.class).body(ctx -> 41);

  private static final OpDefinition<?> EXPLODE =
      OpDefinition.builder("explode")
          .input("n", Integer.class)
          .output(Integer.class)
          .body(
              ctx -> {
                throw new IllegalStateException(ERROR);
              });

  private static final OpDefinition<?> NAP =
      OpDefinition.builder("nap")
          .output(Integer.class)
          .body(
              ctx -> {
                Thread.sleep(15_000); // long enough to watch it run on a loaded machine
                return 1;
              });

  private static final HookDefinition PAGE_ON_CALL =
      HookDefinition.failureHook("page_on_call").handler(ctx -> {});

  private static final HookDefinition NOTE_SUCCESS =
      HookDefinition.successHook("note_success").handler(ctx -> {});

  static final Definitions DEFS =
      Definitions.builder()
          .codeVersion("ui-test-1")
          .jobs(
              JobDefinition.builder(FAILING)
                  .add(PREPARE)
                  .add(EXPLODE.input("n", "prepare"))
                  .hooks(PAGE_ON_CALL, NOTE_SUCCESS)
                  .build(),
              JobDefinition.builder(SLOW).add(NAP).hooks(NOTE_SUCCESS).build(),
              JobDefinition.builder(GREETING).add(GREET).build(),
              JobDefinition.builder(SLEEPY).add(DOZE).build())
          .build();

  private UiJobs() {}
}
