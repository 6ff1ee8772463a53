package io.opflow.cli;

import io.opflow.core.Definitions;
import io.opflow.core.DefinitionsProvider;
import io.opflow.core.HookContext;
import io.opflow.core.HookDefinition;
import io.opflow.core.JobDefinition;
import io.opflow.core.OpDefinition;
import io.opflow.core.RunStatusSensor;
import io.opflow.core.config.NoConfig;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A job whose hooks (and a run status sensor) only note the key they ran under, for the hooks
 * commands' tests.
 */
public final class ReplayDefinitions implements DefinitionsProvider {
  /** The idempotency key of every hook call that ran, in order. */
  static final List<String> RAN = new CopyOnWriteArrayList<>();

  private static void record(HookContext ctx) {
    RAN.add(ctx.idempotencyKey());
  }

  @Override
  public Definitions definitions() {
    OpDefinition<NoConfig> charge = OpDefinition.builder("charge").body(ctx -> null);
    return Definitions.builder()
        .jobs(
            JobDefinition.builder("shop")
                .hooks(HookDefinition.failureHook("page").handler(ReplayDefinitions::record))
                .add(
                    charge.withHooks(
                        HookDefinition.successHook("receipt").handler(ReplayDefinitions::record),
                        HookDefinition.successHook("audit").handler(ReplayDefinitions::record)))
                .build())
        .sensors(
            RunStatusSensor.onRunFailure("refund_alert")
                .jobs("shop")
                .handler(ctx -> RAN.add(ctx.idempotencyKey())))
        .build();
  }
}
