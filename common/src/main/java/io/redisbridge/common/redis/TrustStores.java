package io.redisbridge.common.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;

/** Builds the TLS socket factory for a connector's own trust store, so it need not change the JVM's. */
final class TrustStores {

  private TrustStores() {}

  static SSLSocketFactory socketFactory(String path, String password) {
    char[] secret = password == null ? null : password.toCharArray();
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      // PKCS12 reads JKS files too (keystore.type.compat is on by default).
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, secret);
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException("redis.tls.truststore.path", path,
          "cannot be read as a trust store: " + e.getMessage());
    }
  }
}
