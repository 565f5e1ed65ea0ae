package io.redisbridge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test certificate authority (made with openssl) and what it issued: a server certificate for
 * 127.0.0.1 and localhost, one for another host name, and a client certificate in the forms Redis
 * operators hold (PEM in PKCS#8, PKCS#1 and encrypted PKCS#8, and a PKCS12 key store); plus a PKCS12
 * trust store of the authority and the redis-server arguments that serve TLS with them on free ports.
 */
public final class TlsMaterial {

  public static final String TRUSTSTORE_PASSWORD = "changeit";
  public static final String KEYSTORE_PASSWORD = "keystore-secret";
  public static final String KEY_PASSWORD = "key-secret";
  /** The host name the second server certificate is for: not this machine's. */
  public static final String OTHER_HOST = "elsewhere.example";

  private final Path dir;
  private final int tlsPort;
  private final int otherHostTlsPort;

  private TlsMaterial(Path dir, int tlsPort, int otherHostTlsPort) {
    this.dir = dir;
    this.tlsPort = tlsPort;
    this.otherHostTlsPort = otherHostTlsPort;
  }

  public static TlsMaterial create() {
    try {
      Path dir = Files.createTempDirectory("redis-tls-");
      openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
          "-days", "2", "-subj", "/CN=redis-kafka-bridge test CA");
      issue(dir, "server", "/CN=localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost");
      issue(dir, "other-host", "/CN=" + OTHER_HOST, "subjectAltName=DNS:" + OTHER_HOST);
      issue(dir, "client", "/CN=redis-kafka-bridge", "extendedKeyUsage=clientAuth");
      openssl(dir, "rsa", "-in", "client.key", "-traditional", "-out", "client-pkcs1.key");
      openssl(dir, "pkcs8", "-topk8", "-in", "client.key", "-out", "client-encrypted.key",
          "-passout", "pass:" + KEY_PASSWORD);
      openssl(dir, "pkcs12", "-export", "-in", "client.pem", "-inkey", "client.key", "-out", "client.p12",
          "-passout", "pass:" + KEYSTORE_PASSWORD);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      try (InputStream cert = Files.newInputStream(dir.resolve("ca.pem"))) {
        trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(cert));
      }
      try (OutputStream out = Files.newOutputStream(dir.resolve("truststore.p12"))) {
        trust.store(out, TRUSTSTORE_PASSWORD.toCharArray());
      }
      return new TlsMaterial(dir, freePort(), freePort());
    } catch (Exception e) {
      throw new IllegalStateException("could not prepare TLS material for the tests", e);
    }
  }

  /** A key and a certificate for {@code subject}, signed by the test authority. */
  private static void issue(Path dir, String name, String subject, String extension) throws Exception {
    Files.writeString(dir.resolve(name + ".ext"), extension + "\n");
    openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
        "-subj", subject);
    openssl(dir, "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext");
  }

  private static void openssl(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process openssl = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(openssl.getInputStream().readAllBytes());
    if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
      throw new IOException("openssl " + String.join(" ", args) + " failed (apt-get install -y openssl):\n" + output);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Arguments for redis-server: TLS on {@link #tlsPort()} beside the plain port the fixture uses. */
  public List<String> serverArgs() {
    return serverArgs(tlsPort, "server", false);
  }

  /** As {@link #serverArgs()}, but the server only accepts clients with a certificate from the test authority. */
  public List<String> mutualServerArgs() {
    return serverArgs(tlsPort, "server", true);
  }

  /** A server on {@link #otherHostTlsPort()} whose certificate is for {@link #OTHER_HOST}, not 127.0.0.1. */
  public List<String> otherHostServerArgs() {
    return serverArgs(otherHostTlsPort, "other-host", false);
  }

  private List<String> serverArgs(int port, String certificate, boolean authClients) {
    return List.of("--tls-port", Integer.toString(port),
        "--tls-cert-file", dir.resolve(certificate + ".pem").toString(),
        "--tls-key-file", dir.resolve(certificate + ".key").toString(),
        "--tls-ca-cert-file", dir.resolve("ca.pem").toString(),
        "--tls-auth-clients", authClients ? "yes" : "no");
  }

  public int tlsPort() {
    return tlsPort;
  }

  public int otherHostTlsPort() {
    return otherHostTlsPort;
  }

  /** PKCS12 trust store (password {@link #TRUSTSTORE_PASSWORD}) with the test authority. */
  public Path truststore() {
    return dir.resolve("truststore.p12");
  }

  /** The test authority's certificate in PEM. */
  public Path caPem() {
    return dir.resolve("ca.pem");
  }

  /** PKCS12 key store (password {@link #KEYSTORE_PASSWORD}) with the client certificate and key. */
  public Path clientKeystore() {
    return dir.resolve("client.p12");
  }

  public Path clientCertificatePem() {
    return dir.resolve("client.pem");
  }

  /** The client key in PKCS#8 PEM, unencrypted. */
  public Path clientKeyPem() {
    return dir.resolve("client.key");
  }

  /** The client key as an RSA PKCS#1 PEM ({@code BEGIN RSA PRIVATE KEY}). */
  public Path clientKeyPkcs1Pem() {
    return dir.resolve("client-pkcs1.key");
  }

  /** The client key in encrypted PKCS#8 PEM, password {@link #KEY_PASSWORD}. */
  public Path clientKeyEncryptedPem() {
    return dir.resolve("client-encrypted.key");
  }
}
