package io.opflow.cli;

import io.opflow.cli.internal.BadInputException;
import io.opflow.cli.internal.DefinitionsLoader.Loaded;
import io.opflow.cli.internal.UiMetrics;
import io.opflow.runtime.RuntimeConfig;
import io.opflow.schemas.OpflowTopics;
import io.opflow.ui.UiLogin;
import io.opflow.ui.UiOptions;
import io.opflow.ui.UiServer;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Serves the web UI until SIGTERM. */
@Command(
    name = "ui",
    mixinStandardHelpOptions = true,
    description =
        "Serve the web UI: runs, steps, attempts and hook outcomes, live, read from the event"
            + " topics; cancel; and, with --definitions or --example, submit. Keys:"
            + " opflow.topic.*, kafka.* pass-through.")
final class UiCommand implements Callable<Integer> {
  @Mixin RoleOptions options;

  @Mixin DefinitionsOptions definitions;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "Port of the UI; 0 picks a free port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--max-runs",
      defaultValue = "10000",
      description =
          "How many runs the UI keeps in memory; the oldest ended runs go first (default:"
              + " ${DEFAULT-VALUE}).")
  int maxRuns;

  @Option(
      names = "--bind-address",
      defaultValue = UiOptions.DEFAULT_BIND_ADDRESS,
      description =
          "Address the UI listens on: 0.0.0.0 for every interface, 127.0.0.1 for this host only"
              + " (default: ${DEFAULT-VALUE}).")
  String bindAddress;

  @Option(
      names = "--users-file",
      paramLabel = "FILE",
      description =
          "Ask for a login (HTTP basic authentication) of the users in FILE, one user:password"
              + " per line; serve the UI over TLS then, behind a reverse proxy (docs/ui.md)."
              + " Default: no login.")
  Path usersFile;

  @Option(names = "--read-only", description = "Offer no action: no cancel button.")
  boolean readOnly;

  @Option(
      names = "--group",
      paramLabel = "GROUP",
      description =
          "A consumer group (or the coordinator's application id) whose members and lag the"
              + " cluster page shows; repeatable (default: opflow-coordinator, opflow-workers,"
              + " opflow-hooks-runner).")
  List<String> groups = new ArrayList<>();

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Keep a snapshot of the view, with the offsets it was read up to, in DIR (created if"
              + " missing; one UI per DIR), so that a restart reads only what is new. Default:"
              + " none; a restart reads the event topics from their beginning.")
  Path stateDir;

  @Option(
      names = "--checkpoint-interval",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description =
          "How often the snapshot is written with --state-dir, such as 30s or 5m; it is written"
              + " at shutdown too (default: ${DEFAULT-VALUE}).")
  Duration checkpointInterval;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    if (maxRuns < 1) {
      throw new BadInputException("--max-runs must be at least 1, got " + maxRuns);
    }
    if (port < 0 || port > 65_535) {
      throw new BadInputException("--port must be from 0 to 65535, got " + port);
    }
    if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
      throw new BadInputException(
          "--checkpoint-interval must be positive, got " + checkpointInterval);
    }
    UiOptions uiOptions = uiOptions();
    // The topic settings, as every role takes them: the UI creates missing topics like the others.
    OpflowTopics topics =
        options.settings(RuntimeConfig.baseConfigDef(), RuntimeConfig::of, Map.of()).topics();
    // Definitions only when asked for: they are what the submit page offers.
    Loaded loaded = definitions.requested() ? definitions.load() : null;
    PrintWriter out = spec.commandLine().getOut();
    return Roles.run(
        "ui",
        options,
        topics,
        loaded == null ? null : loaded.source(),
        registry -> {
          UiServer ui = start(topics, uiOptions, loaded);
          UiMetrics.bind(registry, ui);
          out.println("ui at http://localhost:" + ui.port() + "/");
          return new Roles.Started(ui, ui::isHealthy, ui::failure);
        },
        out);
  }

  private UiServer start(OpflowTopics topics, UiOptions uiOptions, Loaded loaded) {
    try {
      return UiServer.start(
          options.adminProps(), topics, uiOptions, loaded == null ? null : loaded.definitions());
    } catch (IllegalStateException | UncheckedIOException e) {
      // The port is taken, or the state directory is another UI's or cannot be written.
      throw new BadInputException(e.getMessage());
    }
  }

  private UiOptions uiOptions() {
    return UiOptions.defaults()
        .withPort(port)
        .withMaxRuns(maxRuns)
        .withReadOnly(readOnly)
        .withConsumerGroups(groups.isEmpty() ? UiOptions.DEFAULT_GROUPS : groups)
        .withBindAddress(bindAddress)
        .withLogin(login())
        .withStateDir(stateDir)
        .withCheckpointInterval(checkpointInterval);
  }

  private UiLogin login() {
    if (usersFile == null) {
      return null;
    }
    try {
      return UiLogin.fromFile(usersFile);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw new BadInputException("--users-file: " + e.getMessage());
    }
  }
}
