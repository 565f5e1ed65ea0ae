package io.redisbridge.common.redis;

import io.redisbridge.common.config.RedisConnectionConfig;
import io.redisbridge.common.config.TlsFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;

/**
 * Builds the TLS socket factory of one connector from its own files (see {@link TlsFiles}), so it never
 * needs, or changes, the JVM-wide {@code javax.net.ssl.*} properties that every other plugin on the
 * worker shares. Unset parts fall back to the JVM's defaults.
 */
final class TlsSocketFactories {

  private TlsSocketFactories() {}

  static SSLSocketFactory create(TlsFiles files) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers(files), trustManagers(files), null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new ConfigException("cannot set up TLS for Redis: " + e.getMessage());
    }
  }

  private static TrustManager[] trustManagers(TlsFiles files) throws GeneralSecurityException {
    KeyStore trusted;
    if (files.truststorePath() != null) {
      trusted = load(RedisConnectionConfig.TLS_TRUSTSTORE_PATH, files.truststorePath(), files.truststorePassword());
    } else if (files.caPemPath() != null) {
      trusted = KeyStore.getInstance("PKCS12");
      try {
        trusted.load(null, null);
      } catch (IOException e) {
        throw new GeneralSecurityException(e);
      }
      int index = 0;
      for (Certificate certificate : certificates(RedisConnectionConfig.TLS_CA_PEM_PATH, files.caPemPath())) {
        trusted.setCertificateEntry("ca-" + index++, certificate);
      }
    } else {
      return null;
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trusted);
    return factory.getTrustManagers();
  }

  private static KeyManager[] keyManagers(TlsFiles files) throws GeneralSecurityException {
    KeyStore identity;
    char[] keyPassword;
    if (files.keystorePath() != null) {
      identity = load(RedisConnectionConfig.TLS_KEYSTORE_PATH, files.keystorePath(), files.keystorePassword());
      String password = files.keyPassword() != null ? files.keyPassword() : files.keystorePassword();
      keyPassword = password == null ? new char[0] : password.toCharArray();
    } else if (files.certificatePemPath() != null) {
      Collection<? extends Certificate> chain =
          certificates(RedisConnectionConfig.TLS_CERTIFICATE_PEM_PATH, files.certificatePemPath());
      PrivateKey key = PemKeys.read(Path.of(files.keyPemPath()), files.keyPassword());
      identity = KeyStore.getInstance("PKCS12");
      try {
        identity.load(null, null);
      } catch (IOException e) {
        throw new GeneralSecurityException(e);
      }
      // The store lives in memory only; its password just has to match between setKeyEntry and init.
      keyPassword = new char[0];
      identity.setKeyEntry("client", key, keyPassword, chain.toArray(new Certificate[0]));
    } else {
      return null;
    }
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    try {
      factory.init(identity, keyPassword);
    } catch (GeneralSecurityException e) {
      throw new ConfigException(RedisConnectionConfig.TLS_KEY_PASSWORD, "[hidden]",
          "cannot unlock the private key in " + files.keystorePath() + ": " + e.getMessage());
    }
    return factory.getKeyManagers();
  }

  private static KeyStore load(String key, String path, String password) {
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      // PKCS12 reads JKS files too (keystore.type.compat is on by default).
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password == null ? null : password.toCharArray());
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException(key, path, "cannot be read as a PKCS12 or JKS store: " + e.getMessage());
    }
  }

  private static Collection<? extends Certificate> certificates(String key, String path) {
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
          .generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new ConfigException(key, path, "holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
      }
      return certificates;
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException(key, path, "cannot be read as PEM certificates: " + e.getMessage());
    }
  }
}
