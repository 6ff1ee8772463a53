/**
 * What Opflow's own roles share from core: running one step attempt ({@link
 * io.opflow.core.spi.StepRunner}) and the hooks of a finished one ({@link
 * io.opflow.core.spi.HookExecution}), with the values they pass ({@link
 * io.opflow.core.spi.StepIdentity}, {@link io.opflow.core.spi.StepOutcome}, {@link
 * io.opflow.core.spi.StepAttempt}); a run's resources ({@link io.opflow.core.spi.RunResources}); a
 * run's config laid over its job's defaults ({@link io.opflow.core.spi.RunConfigs}); the types an
 * op declares for its named values ({@link io.opflow.core.spi.DeclaredTypes}); binding a config
 * value to its type ({@link io.opflow.core.spi.ConfigBinder}, {@link
 * io.opflow.core.spi.DurationValues}); and keeping secrets and context straight in logs ({@link
 * io.opflow.core.spi.SecretValues}, {@link io.opflow.core.spi.LogContext}). The in-process executor
 * uses the same classes, so a step runs alike in a test and on a worker.
 *
 * <p>For Opflow's modules (the worker, the hooks-runner, the coordinator, {@code runtime}, the
 * {@code cli}), not for user code: definitions use {@code io.opflow.core} and its public
 * subpackages. Compatibility: none across versions. All Opflow modules are released together at one
 * version and only modules of the same version use each other's {@code spi}; any release may change
 * it. What is in it is public because another module needs it; what only core needs stays in {@code
 * io.opflow.core.internal}, which no other module may import (checked by the build, see {@code
 * docs/architecture.md}).
 */
package io.opflow.core.spi;
