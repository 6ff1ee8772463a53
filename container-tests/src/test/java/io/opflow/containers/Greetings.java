package io.opflow.containers;

import io.opflow.core.Definitions;
import io.opflow.core.DefinitionsProvider;
import io.opflow.core.HookDefinition;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A user's code location: two ops in a chain and a success hook that records what it saw. */
final class Greetings implements DefinitionsProvider {
  /**
   * What the hook saw: "runId stepKey". The roles run in the test's JVM, so the test can read it.
   */
  static final Queue<String> HEARD = new ConcurrentLinkedQueue<>();

  static final OpDefinition<?> HELLO =
      OpDefinition.builder("hello").output(String.class).body(ctx -> "hello");

  static final OpDefinition<?> SHOUT =
      OpDefinition.builder("shout")
          .input("word", String.class)
          .output(String.class)
          .body(ctx -> ctx.input("word", String.class).toUpperCase(Locale.ROOT));

  static final HookDefinition REMEMBER =
      HookDefinition.successHook("remember")
          .handler(ctx -> HEARD.add(ctx.runId() + " " + ctx.stepKey()));

  @Override
  public Definitions definitions() {
    return Definitions.builder()
        .jobs(
            JobDefinition.builder("greet")
                .add(HELLO)
                .add(SHOUT.input("word", "hello"))
                .hooks(REMEMBER)
                .build())
        .build();
  }
}
