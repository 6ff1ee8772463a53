package io.opflow.client.internal;

import io.opflow.protocol.RunRequested;
import java.util.Map;

/**
 * What a re-execution needs of the run it re-executes, as read from the topics.
 *
 * @param request the parent's run request: its job snapshot and run config
 * @param succeededOutputs each step that succeeded in the parent run, with its outputs as JSON
 * @param endStatus how the parent run ended ({@code SUCCEEDED}, {@code FAILED}, {@code CANCELED}),
 *     or null while it has not
 */
public record ParentRun(
    RunRequested request, Map<String, Map<String, String>> succeededOutputs, String endStatus) {}
