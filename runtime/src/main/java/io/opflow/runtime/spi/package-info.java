/**
 * The Kafka plumbing the worker and the hooks-runner share: the lifecycle of a role's engine, which
 * starts its poll thread, reports its health and closes everything in order ({@link
 * io.opflow.runtime.spi.RoleEngine}); the skeleton of a role's poll thread, which commits only
 * offsets whose effects are done ({@link io.opflow.runtime.spi.PollLoop}); the one producer a role
 * writes its events and dead letters with ({@link io.opflow.runtime.spi.EventPublisher}); waiting,
 * with a timeout, for the broker to acknowledge a send ({@link
 * io.opflow.runtime.spi.Acknowledgements}); and named daemon threads ({@link
 * io.opflow.runtime.spi.Threads}).
 *
 * <p>For Opflow's roles, not for user code. Compatibility: none across versions. All Opflow modules
 * are released together at one version and only modules of the same version use each other's {@code
 * spi}; any release may change it. What only {@code runtime} needs stays in {@code
 * io.opflow.runtime.internal}, which no other module may import (checked by the build, see {@code
 * docs/architecture.md}).
 */
package io.opflow.runtime.spi;
