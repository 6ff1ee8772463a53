package io.opflow.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node Apache Kafka broker (KRaft, combined broker and controller) running inside the
 * current JVM, for tests and local experiments.
 *
 * <p>It listens on free ports of 127.0.0.1, keeps its data in a temporary directory that {@link
 * #close()} deletes, and allows automatic topic creation. Consumer-protocol groups (KIP-848) get a
 * 500 ms heartbeat interval, so partitions change owner within about that. {@link #start()} returns
 * only once the broker answers an Admin request. First start takes several seconds: share one
 * broker per test class (see {@link KafkaBrokerExtension}).
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
 *   producerProps.put("bootstrap.servers", broker.bootstrapServers());
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  /** The SASL mechanism of a secured broker's users. */
  public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

  /**
   * The rule that makes a client certificate's subject {@code CN=NAME,...} the principal {@code
   * User:NAME} on a broker started with {@link #startMutualTls}.
   */
  public static final String PRINCIPAL_MAPPING_RULES = "RULE:^CN=([^,]+)(,.*)?$/$1/,DEFAULT";

  // The listener a secured broker adds beside the plain one, and how its clients authenticate.
  private enum SecureListener {
    NONE(null),
    SASL_PLAINTEXT("SASL_PLAINTEXT"),
    SASL_SSL("SASL_SSL"),
    MUTUAL_TLS("SSL");

    final String protocol;

    SecureListener(String protocol) {
      this.protocol = protocol;
    }

    boolean sasl() {
      return this == SASL_PLAINTEXT || this == SASL_SSL;
    }
  }

  private final KafkaRaftServer server;
  private final Path dataDir;
  private final String bootstrapServers;
  private final String secureBootstrapServers;
  private final SecureListener secureListener;
  private final TestCertificates tls;

  private EmbeddedKafkaBroker(
      KafkaRaftServer server,
      Path dataDir,
      String bootstrapServers,
      String secureBootstrapServers,
      SecureListener secureListener,
      TestCertificates tls) {
    this.server = server;
    this.dataDir = dataDir;
    this.bootstrapServers = bootstrapServers;
    this.secureBootstrapServers = secureBootstrapServers;
    this.secureListener = secureListener;
    this.tls = tls;
  }

  /**
   * Starts a broker with default settings and waits until it answers.
   *
   * @return the running broker; close it when done
   */
  public static EmbeddedKafkaBroker start() {
    return start(Map.of());
  }

  /**
   * Starts a broker whose {@code server.properties} are the defaults with {@code overrides} applied
   * on top, and waits until it answers.
   *
   * @param overrides broker settings that replace or add to the defaults (for example {@code
   *     num.partitions})
   * @return the running broker; close it when done
   */
  public static EmbeddedKafkaBroker start(Map<String, String> overrides) {
    return start(overrides, SecureListener.NONE, null);
  }

  /**
   * Starts a broker that authenticates and authorizes, as a production cluster does: a second
   * listener, {@code SASL_PLAINTEXT} (or {@code SASL_SSL}, see {@link
   * #startSecured(TestCertificates)}) with {@value #SCRAM_MECHANISM} users ({@link
   * #createScramUser}), at {@link #saslBootstrapServers()}, and the standard authorizer with {@code
   * allow.everyone.if.no.acl.found=false}, so a user may do only what its ACLs allow. The plain
   * listener ({@link #bootstrapServers()}, {@link #adminConfig()}) stays for the broker itself and
   * for a test's admin: its anonymous user is a super user. Topics are not created automatically.
   *
   * @return the running broker; close it when done
   */
  public static EmbeddedKafkaBroker startSecured() {
    return start(Map.of(), SecureListener.SASL_PLAINTEXT, null);
  }

  /**
   * Starts a broker as {@link #startSecured()} does, whose SASL listener also speaks TLS ({@code
   * SASL_SSL}) with the given certificate; {@link #clientConfig} then trusts it.
   *
   * @param tls the broker's key store and the clients' trust store
   * @return the running broker; close it when done
   */
  public static EmbeddedKafkaBroker startSecured(TestCertificates tls) {
    return start(Map.of(), SecureListener.SASL_SSL, tls);
  }

  /**
   * Starts a broker that authenticates clients by certificate (mutual TLS) and authorizes them as
   * {@link #startSecured()} does: a second listener, {@code SSL} with {@code
   * ssl.client.auth=required}, at {@link #sslBootstrapServers()}, which accepts only certificates
   * the given authority signed ({@link TestCertificates#issueClientCertificate}) and maps a subject
   * {@code CN=NAME,...} to the principal {@code User:NAME} ({@value #PRINCIPAL_MAPPING_RULES}). The
   * plain listener stays for the broker and a test's admin.
   *
   * @param tls the broker's key store and the authority it trusts client certificates by
   * @return the running broker; close it when done
   */
  public static EmbeddedKafkaBroker startMutualTls(TestCertificates tls) {
    return start(Map.of(), SecureListener.MUTUAL_TLS, tls);
  }

  private static EmbeddedKafkaBroker start(
      Map<String, String> overrides, SecureListener listener, TestCertificates tls) {
    Path dataDir = createTempDir();
    try {
      int brokerPort = FreePorts.next();
      int controllerPort = FreePorts.next();
      int securePort = listener == SecureListener.NONE ? -1 : FreePorts.next();
      Properties props = serverProperties(dataDir, brokerPort, controllerPort, overrides);
      if (listener != SecureListener.NONE) {
        secure(props, brokerPort, controllerPort, securePort, listener, tls);
      }
      formatStorage(props, dataDir, Uuid.randomUuid().toString());
      KafkaRaftServer server =
          new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
      EmbeddedKafkaBroker broker =
          new EmbeddedKafkaBroker(
              server,
              dataDir,
              "127.0.0.1:" + brokerPort,
              listener == SecureListener.NONE ? null : "127.0.0.1:" + securePort,
              listener,
              tls);
      broker.startAndAwaitReady();
      return broker;
    } catch (RuntimeException e) {
      deleteRecursively(dataDir);
      throw e;
    }
  }

  private static void secure(
      Properties props,
      int brokerPort,
      int controllerPort,
      int securePort,
      SecureListener listener,
      TestCertificates tls) {
    String protocol = listener.protocol;
    props.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:"
            + brokerPort
            + ",CONTROLLER://127.0.0.1:"
            + controllerPort
            + ","
            + protocol
            + "://127.0.0.1:"
            + securePort);
    props.put(
        "advertised.listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + "," + protocol + "://127.0.0.1:" + securePort);
    props.put(
        "listener.security.protocol.map",
        "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT," + protocol + ":" + protocol);
    if (listener.sasl()) {
      props.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
      props.put(
          "listener.name." + protocol.toLowerCase(Locale.ROOT) + ".scram-sha-512.sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }
    if (tls != null) {
      props.put("ssl.keystore.type", "PKCS12");
      props.put("ssl.keystore.location", tls.keyStore().toString());
      props.put("ssl.keystore.password", tls.password());
      props.put("ssl.key.password", tls.password());
    }
    if (listener == SecureListener.MUTUAL_TLS) {
      String prefix = "listener.name.ssl.";
      props.put(prefix + "ssl.client.auth", "required");
      props.put(prefix + "ssl.truststore.type", "PKCS12");
      props.put(prefix + "ssl.truststore.location", tls.trustStore().toString());
      props.put(prefix + "ssl.truststore.password", tls.password());
      props.put("ssl.principal.mapping.rules", PRINCIPAL_MAPPING_RULES);
    }
    props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    props.put("super.users", "User:ANONYMOUS");
    props.put("allow.everyone.if.no.acl.found", "false");
    props.put("auto.create.topics.enable", "false");
  }

  /**
   * Returns the {@code bootstrap.servers} of a secured broker's SASL listener.
   *
   * @return host and port
   * @throws IllegalStateException when the broker was not started with {@link #startSecured()}
   */
  public String saslBootstrapServers() {
    if (!secureListener.sasl()) {
      throw new IllegalStateException("this broker has no SASL listener: use startSecured()");
    }
    return secureBootstrapServers;
  }

  /**
   * Returns the {@code bootstrap.servers} of a broker's listener that requires client certificates.
   *
   * @return host and port
   * @throws IllegalStateException when the broker was not started with {@link #startMutualTls}
   */
  public String sslBootstrapServers() {
    if (secureListener != SecureListener.MUTUAL_TLS) {
      throw new IllegalStateException("this broker has no mutual TLS listener: use startMutualTls");
    }
    return secureBootstrapServers;
  }

  /**
   * Returns the Kafka client settings of a client that authenticates by a certificate for {@code
   * commonName}, which this call issues, on a broker started with {@link #startMutualTls}: its
   * principal is {@code User:<commonName>}.
   *
   * @param commonName the certificate's common name
   * @return a mutable map with {@code bootstrap.servers}, {@code security.protocol=SSL}, the
   *     client's key store and the trust store
   */
  public Map<String, Object> certificateClientConfig(String commonName) {
    Path clientKeyStore = tls.issueClientCertificate(commonName);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, sslBootstrapServers());
    config.put("security.protocol", "SSL");
    config.put("ssl.keystore.type", "PKCS12");
    config.put("ssl.keystore.location", clientKeyStore.toString());
    config.put("ssl.keystore.password", tls.password());
    config.put("ssl.key.password", tls.password());
    config.put("ssl.truststore.type", "PKCS12");
    config.put("ssl.truststore.location", tls.trustStore().toString());
    config.put("ssl.truststore.password", tls.password());
    return config;
  }

  /**
   * Creates (or replaces) a {@value #SCRAM_MECHANISM} user of a secured broker.
   *
   * @param user the user name; its principal is {@code User:<user>}
   * @param password the password
   */
  public void createScramUser(String user, String password) {
    try (Admin admin = Admin.create(adminConfig())) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating user " + user, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Could not create user " + user, e);
    }
  }

  /**
   * Returns the Kafka client settings of a user on a secured broker's SASL listener.
   *
   * @param user the user
   * @param password its password
   * @return a mutable map with {@code bootstrap.servers} and the SASL settings
   */
  public Map<String, Object> clientConfig(String user, String password) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, saslBootstrapServers());
    config.put("security.protocol", secureListener.protocol);
    if (tls != null) {
      config.put("ssl.truststore.type", "PKCS12");
      config.put("ssl.truststore.location", tls.trustStore().toString());
      config.put("ssl.truststore.password", tls.password());
    }
    config.put("sasl.mechanism", SCRAM_MECHANISM);
    config.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + user
            + "\" password=\""
            + password
            + "\";");
    return config;
  }

  /**
   * Returns the {@code bootstrap.servers} value that reaches this broker.
   *
   * @return host and port, such as {@code 127.0.0.1:40123}
   */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Returns Admin client settings that reach this broker, to pass to {@code Admin.create}.
   *
   * @return a mutable map holding {@code bootstrap.servers}
   */
  public Map<String, Object> adminConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return config;
  }

  /**
   * Creates topics with the given partition count and replication factor 1, waiting until done.
   *
   * @param partitions partitions of each topic
   * @param names topic names
   */
  public void createTopics(int partitions, String... names) {
    try (Admin admin = Admin.create(adminConfig())) {
      Stream<NewTopic> topics = Stream.of(names).map(n -> new NewTopic(n, partitions, (short) 1));
      admin.createTopics(topics.toList()).all().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Could not create topics on " + bootstrapServers, e);
    }
  }

  /** Stops the broker, waits for it to finish, and deletes its data directory. */
  @Override
  public void close() {
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      deleteRecursively(dataDir);
    }
  }

  // Stops the half-started broker when startup fails, so no broker thread outlives the failure.
  private void startAndAwaitReady() {
    try {
      server.startup();
      awaitReady();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private void awaitReady() {
    long start = System.nanoTime();
    try (Admin admin = Admin.create(adminConfig())) {
      while (!answers(admin)) {
        if (System.nanoTime() - start > STARTUP_TIMEOUT.toNanos()) {
          throw new IllegalStateException(
              "Embedded Kafka broker did not answer within " + STARTUP_TIMEOUT);
        }
      }
    }
  }

  private static boolean answers(Admin admin) {
    try {
      return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the embedded broker", e);
    }
  }

  private static Properties serverProperties(
      Path dataDir, int brokerPort, int controllerPort, Map<String, String> overrides) {
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    props.put("log.dirs", dataDir.resolve("logs").toString());
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    // Members of a consumer-protocol group (KIP-848) learn of partitions to give up or take on
    // their next heartbeat, whose interval the broker sets (default and minimum 5 s): a partition
    // that changes owner sits idle up to that long. Short, as a deployment tuned for handovers
    // under a second would set it.
    props.put("group.consumer.heartbeat.interval.ms", "500");
    props.put("group.consumer.min.heartbeat.interval.ms", "500");
    props.put("num.partitions", "1");
    props.put("auto.create.topics.enable", "true");
    props.putAll(overrides);
    return props;
  }

  /**
   * Writes {@code props} to {@code server.properties} in {@code dataDir} and formats the KRaft
   * storage they name for cluster {@code clusterId}, unless it is formatted already (a node started
   * again on its data keeps it).
   *
   * @param props the node's server properties
   * @param dataDir the node's data directory, which must exist
   * @param clusterId the cluster id, the same for every node of a cluster
   */
  public static void formatStorage(Properties props, Path dataDir, String clusterId) {
    Path file = dataDir.resolve("server.properties");
    try (OutputStream out = Files.newOutputStream(file)) {
      props.store(out, "Opflow embedded broker");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String[] args = {"format", "-t", clusterId, "-c", file.toString(), "--ignore-formatted"};
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      StorageTool.execute(args, print);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "Formatting the embedded broker's storage failed: " + output, e);
    }
  }

  private static Path createTempDir() {
    try {
      return Files.createTempDirectory("opflow-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not delete " + dir, e);
    }
  }
}
