package io.opflow.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made for one test by the JDK's {@code keytool}: a certificate authority, a broker
 * key store whose certificate (for {@code localhost} and {@code 127.0.0.1}) the authority signed,
 * and a trust store holding the authority's certificate, which clients trust the broker by and a
 * broker that requires client certificates trusts them by. {@link #issueClientCertificate} makes a
 * client's key store, signed by the same authority. PKCS12 stores, valid for two days; nothing
 * leaves the given directory.
 *
 * @param keyStore the broker's key store
 * @param trustStore the trust store holding the authority's certificate
 * @param password the password of every store and key
 * @param authority the authority's key store, which signs the certificates
 */
public record TestCertificates(Path keyStore, Path trustStore, String password, Path authority) {

  private static final String CA_ALIAS = "ca";

  /**
   * Generates the authority, the broker's key store and the trust store in {@code dir}.
   *
   * @param dir an existing directory, such as a test's temporary one
   * @return the stores
   * @throws IllegalStateException when keytool fails, with its output
   */
  public static TestCertificates generate(Path dir) {
    String password = UUID.randomUUID().toString();
    Path authority = dir.resolve("ca.p12");
    Path trustStore = dir.resolve("truststore.p12");
    genkeypair(authority, CA_ALIAS, "CN=Opflow Test CA", password, "bc:c");
    Path caCertificate = dir.resolve("ca.crt");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        CA_ALIAS,
        "-keystore",
        authority.toString(),
        "-storepass",
        password,
        "-file",
        caCertificate.toString());
    importCertificate(trustStore, CA_ALIAS, caCertificate, password);
    TestCertificates certificates =
        new TestCertificates(dir.resolve("broker.p12"), trustStore, password, authority);
    certificates.issue(
        certificates.keyStore, "broker", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
    return certificates;
  }

  /**
   * Issues a client certificate for {@code commonName}, signed by this authority, in a key store of
   * its own next to the others. Its subject is {@code CN=<commonName>,OU=opflow-test}, which a
   * broker's {@code ssl.principal.mapping.rules} can map to {@code User:<commonName>}.
   *
   * <p>Asked again for the same name, it returns the key store it made the first time.
   *
   * @param commonName the client's common name, such as {@code worker-1}
   * @return the client's key store (with the authority's certificate in its chain), protected by
   *     {@link #password()}
   * @throws IllegalStateException when keytool fails, with its output
   */
  public Path issueClientCertificate(String commonName) {
    Path clientKeyStore = keyStore.resolveSibling("client-" + commonName + ".p12");
    if (Files.exists(clientKeyStore)) {
      return clientKeyStore;
    }
    issue(clientKeyStore, "client", "CN=" + commonName + ",OU=opflow-test", null);
    return clientKeyStore;
  }

  // A key pair in `store` whose certificate the authority signed, the authority's first in chain.
  private void issue(Path store, String alias, String subject, String extension) {
    Path request = store.resolveSibling(alias + "-" + UUID.randomUUID() + ".csr");
    Path signed = store.resolveSibling(alias + "-" + UUID.randomUUID() + ".crt");
    Path caCertificate = authority.resolveSibling("ca.crt");
    genkeypair(store, alias, subject, password, null);
    keytool(
        "-certreq",
        "-alias",
        alias,
        "-keystore",
        store.toString(),
        "-storepass",
        password,
        "-file",
        request.toString());
    List<String> gencert =
        new ArrayList<>(
            List.of(
                "-gencert",
                "-rfc",
                "-alias",
                CA_ALIAS,
                "-keystore",
                authority.toString(),
                "-storepass",
                password,
                "-validity",
                "2",
                "-infile",
                request.toString(),
                "-outfile",
                signed.toString()));
    if (extension != null) {
      gencert.addAll(List.of("-ext", extension));
    }
    keytool(gencert.toArray(String[]::new));
    importCertificate(store, CA_ALIAS, caCertificate, password);
    importCertificate(store, alias, signed, password);
  }

  private static void genkeypair(
      Path store, String alias, String subject, String password, String extension) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                subject,
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                password,
                "-keypass",
                password));
    if (extension != null) {
      args.addAll(List.of("-ext", extension));
    }
    keytool(args.toArray(String[]::new));
  }

  private static void importCertificate(
      Path store, String alias, Path certificate, String password) {
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        alias,
        "-file",
        certificate.toString(),
        "-keystore",
        store.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        password);
  }

  private static void keytool(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run keytool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running keytool", e);
    }
  }
}
