package io.opflow.cli;

import io.opflow.cli.internal.BadInputException;
import io.opflow.client.BrokerUnreachableException;
import io.opflow.hooks.HookReplay;
import io.opflow.hooks.HookReplay.Call;
import io.opflow.hooks.HookReplay.Calls;
import io.opflow.hooks.HookReplay.Outcome;
import io.opflow.hooks.InvalidSelectionException;
import io.opflow.schemas.OpflowTopics;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * What {@code hooks replay} and {@code hooks backfill} share: the cluster, the definitions, which
 * calls to look at, and how a report is printed.
 */
final class HookCallOptions {
  private static final String KAFKA_PREFIX = "kafka.";
  private static final Set<Outcome> NOT_DONE =
      EnumSet.of(Outcome.ERRORED, Outcome.SOURCE_GONE, Outcome.NOT_LOADED, Outcome.CANNOT_FIRE);

  @Option(names = "--run", paramLabel = "ID", description = "Only this run's calls; repeatable.")
  List<String> runIds = new ArrayList<>();

  @Option(
      names = "--job",
      paramLabel = "NAME",
      description = "Only calls of this job's steps (and, for run status sensors, its runs).")
  String job;

  @Option(
      names = "--hook",
      paramLabel = "NAME",
      description =
          "Only calls of this hook, or of this run status sensor (replay only; backfill fires"
              + " hooks only).")
  String hook;

  @Option(
      names = "--from",
      paramLabel = "INSTANT",
      converter = Instants.class,
      description =
          "Only step events (for sensor calls, run events) at or after this time (ISO-8601,"
              + " such as 2026-12-01T09:00:00Z or 2026-12-01T10:00:00+01:00).")
  Instant from;

  @Option(
      names = "--to",
      paramLabel = "INSTANT",
      converter = Instants.class,
      description = "Only step events (for sensor calls, run events) before this time (ISO-8601).")
  Instant to;

  @Option(
      names = "--dry-run",
      description = "List the calls only: no hook runs and nothing is published.")
  boolean dryRun;

  @Option(
      names = "--config",
      paramLabel = "KEY=VALUE",
      description =
          "A kafka.* setting passed to the Kafka clients without the prefix, repeatable, such as"
              + " kafka.security.protocol=SSL.")
  Map<String, String> config = new LinkedHashMap<>();

  /**
   * Chooses the calls, fires them (unless a dry run), prints one line per call and a count.
   *
   * @param command the command's name, for messages
   * @param calls which calls
   * @return 0 when every chosen call completed or was skipped (or, in a dry run, can fire); 1
   *     otherwise
   */
  int run(
      CommandSpec spec,
      KafkaOptions kafka,
      DefinitionsOptions definitions,
      String command,
      Calls calls) {
    Map<String, Object> props = kafkaProps(kafka);
    if (from != null && to != null && !from.isBefore(to)) {
      throw new BadInputException(
          "--from " + from + " is not before --to " + to + "; give a non-empty time range");
    }
    boolean narrowed =
        !runIds.isEmpty() || job != null || hook != null || from != null || to != null;
    if (!narrowed && !dryRun && (calls == Calls.ALL || calls == Calls.MISSING)) {
      throw new BadInputException(
          command
              + " with no --run, --job, --hook, --from or --to would fire hooks for every run in"
              + " the topics; narrow it with one of those (--from 1970-01-01T00:00:00Z means all"
              + " of them), or list the calls first with --dry-run");
    }
    HookReplay.Options options =
        HookReplay.Options.builder(calls)
            .runIds(runIds)
            .from(from)
            .to(to)
            .job(job)
            .hook(hook)
            .dryRun(dryRun)
            .timeout(kafka.connectTimeout)
            .build();
    HookReplay.Report report = replay(kafka, definitions, props, options);
    print(report, spec.commandLine().getOut(), spec.commandLine().getErr());
    boolean allDone = report.calls().stream().noneMatch(c -> NOT_DONE.contains(c.outcome()));
    return allDone ? 0 : Main.RUN_FAILED;
  }

  private static HookReplay.Report replay(
      KafkaOptions kafka,
      DefinitionsOptions definitions,
      Map<String, Object> props,
      HookReplay.Options options) {
    var loaded = definitions.load().definitions();
    try {
      return HookReplay.run(props, OpflowTopics.withPrefix(kafka.topicPrefix), loaded, options);
    } catch (InvalidSelectionException e) {
      throw new BadInputException(e.getMessage() + " (--topic-prefix " + kafka.topicPrefix + ")");
    } catch (TimeoutException e) {
      throw new BrokerUnreachableException(kafka.bootstrapServers, kafka.connectTimeout, e);
    } catch (KafkaException e) {
      if (BrokerUnreachableException.isUnresolvable(e)) {
        throw BrokerUnreachableException.unresolvable(kafka.bootstrapServers, e);
      }
      throw e;
    }
  }

  private Map<String, Object> kafkaProps(KafkaOptions kafka) {
    Map<String, Object> props = new HashMap<>(kafka.clientProps());
    config.forEach(
        (key, value) -> {
          if (!key.startsWith(KAFKA_PREFIX)) {
            throw new BadInputException(
                "unknown setting --config "
                    + key
                    + "; this command takes kafka.* settings only, passed to its Kafka clients"
                    + " without the prefix (such as kafka.security.protocol=SSL)");
          }
          props.put(key.substring(KAFKA_PREFIX.length()), value);
        });
    props.put("bootstrap.servers", kafka.bootstrapServers);
    return props;
  }

  static void print(HookReplay.Report report, PrintWriter out, PrintWriter err) {
    report.calls().forEach(call -> out.println(line(call)));
    Map<Outcome, Long> counts = new LinkedHashMap<>();
    for (Outcome outcome : Outcome.values()) {
      long n = report.count(outcome);
      if (n > 0) {
        counts.put(outcome, n);
      }
    }
    List<String> parts = new ArrayList<>();
    counts.forEach((outcome, n) -> parts.add(n + " " + name(outcome)));
    out.println(
        report.calls().size()
            + (report.calls().size() == 1 ? " call" : " calls")
            + (parts.isEmpty() ? "" : ": " + String.join(", ", parts))
            + (report.dryRun() ? " (dry run: no hook ran, nothing was published)" : ""));
    out.flush();
    report.notes().forEach(note -> err.println("note: " + note));
    err.flush();
  }

  private static String line(Call call) {
    StringBuilder line = new StringBuilder(call.key());
    if (call.newKey() != null) {
      line.append(" -> ").append(call.newKey());
    }
    line.append(call.sensor() ? " sensor " : " hook ")
        .append(call.hookName())
        .append(' ')
        .append(call.outcome());
    if (call.tries() > 1) {
      line.append(" after ").append(call.tries()).append(" tries");
    }
    if (call.detail() != null) {
      line.append(": ").append(call.detail());
    }
    return line.toString();
  }

  private static String name(Outcome outcome) {
    return outcome.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  /** Reads ISO-8601 instants, in UTC ({@code Z}) or with an offset. */
  static final class Instants implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return OffsetDateTime.parse(value).toInstant();
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "'"
                + value
                + "' is not an ISO-8601 instant; write a date, a time and an offset, such as"
                + " 2026-12-01T09:00:00Z or 2026-12-01T10:00:00+01:00");
      }
    }
  }
}
