/**
 * What Opflow's own modules share from the client: {@link io.opflow.client.spi.EventConsumer}, the
 * group-less reader of step, hook and run events behind {@code OpflowClient.watch} and {@code
 * events}, whose consumer settings (only committed records) the web UI's event feed reuses.
 *
 * <p>For Opflow's modules, not for user code: applications use {@code io.opflow.client}.
 * Compatibility: none across versions. All Opflow modules are released together at one version and
 * only modules of the same version use each other's {@code spi}; any release may change it. What
 * only the client needs stays in {@code io.opflow.client.internal}, which no other module may
 * import (checked by the build, see {@code docs/architecture.md}).
 */
package io.opflow.client.spi;
