/**
 * What Opflow's own modules share from the command line: {@link io.opflow.cli.spi.CommandProvider},
 * through which module {@code dev} ({@code opflow-dev.jar}) adds {@code dev} and {@code broker} to
 * the lean {@code opflow.jar}'s commands, and {@link io.opflow.cli.spi.RunPrinting}, the progress
 * lines those commands print as {@code submit --watch} does.
 *
 * <p>For Opflow's modules, not for user code. Compatibility: none across versions. All Opflow
 * modules are released together at one version and only modules of the same version use each
 * other's {@code spi}; any release may change it. What only the command line needs stays in {@code
 * io.opflow.cli.internal}, which no other module may import (checked by the build, see {@code
 * docs/architecture.md}).
 */
package io.opflow.cli.spi;
