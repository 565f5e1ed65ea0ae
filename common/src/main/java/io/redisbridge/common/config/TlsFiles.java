package io.redisbridge.common.config;

/**
 * The files a connector's TLS connections use instead of the JVM-wide {@code javax.net.ssl.*} settings:
 * whom to trust (a trust store, or CA certificates in PEM) and, for servers that require client
 * certificates ({@code tls-auth-clients yes}), who the connector is (a key store, or a certificate chain
 * and private key in PEM). Null fields are unset. {@code toString} leaves the passwords out.
 */
public record TlsFiles(
    String truststorePath,
    String truststorePassword,
    String caPemPath,
    String keystorePath,
    String keystorePassword,
    String keyPassword,
    String certificatePemPath,
    String keyPemPath) {

  public static final TlsFiles NONE = new TlsFiles(null, null, null, null, null, null, null, null);

  /** Whether any file is set, so the connection needs its own TLS context rather than the JVM's. */
  public boolean any() {
    return truststorePath != null || caPemPath != null || keystorePath != null || certificatePemPath != null;
  }

  /** Whether the connector presents a certificate of its own. */
  public boolean clientCertificate() {
    return keystorePath != null || certificatePemPath != null;
  }

  @Override
  public String toString() {
    return "TlsFiles[truststore=" + truststorePath + ", caPem=" + caPemPath + ", keystore=" + keystorePath
        + ", certificatePem=" + certificatePemPath + ", keyPem=" + keyPemPath + "]";
  }
}
