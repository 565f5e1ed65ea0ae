package io.redisbridge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1 and localhost (made with openssl), the redis-server arguments
 * that serve TLS with it on a free port, and a PKCS12 trust store that trusts it.
 */
public final class TlsMaterial {

  public static final String TRUSTSTORE_PASSWORD = "changeit";

  private final Path dir;
  private final int tlsPort;

  private TlsMaterial(Path dir, int tlsPort) {
    this.dir = dir;
    this.tlsPort = tlsPort;
  }

  public static TlsMaterial create() {
    try {
      Path dir = Files.createTempDirectory("redis-tls-");
      Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
          "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString(), "-days", "2",
          "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost")
          .redirectErrorStream(true).start();
      String output = new String(openssl.getInputStream().readAllBytes());
      if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
        throw new IOException("openssl could not make a test certificate (apt-get install -y openssl):\n" + output);
      }
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      try (InputStream cert = Files.newInputStream(dir.resolve("cert.pem"))) {
        trust.setCertificateEntry("redis", CertificateFactory.getInstance("X.509").generateCertificate(cert));
      }
      try (OutputStream out = Files.newOutputStream(dir.resolve("truststore.p12"))) {
        trust.store(out, TRUSTSTORE_PASSWORD.toCharArray());
      }
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      return new TlsMaterial(dir, port);
    } catch (Exception e) {
      throw new IllegalStateException("could not prepare TLS material for the tests", e);
    }
  }

  /** Arguments for redis-server: TLS on {@link #tlsPort()} beside the plain port the fixture uses. */
  public List<String> serverArgs() {
    return List.of("--tls-port", Integer.toString(tlsPort),
        "--tls-cert-file", dir.resolve("cert.pem").toString(),
        "--tls-key-file", dir.resolve("key.pem").toString(),
        "--tls-ca-cert-file", dir.resolve("cert.pem").toString(),
        "--tls-auth-clients", "no");
  }

  public int tlsPort() {
    return tlsPort;
  }

  public Path truststore() {
    return dir.resolve("truststore.p12");
  }
}
