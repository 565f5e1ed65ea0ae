package io.redisbridge.common.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redisbridge.common.config.RedisConnectionConfig;
import io.redisbridge.common.config.RedisConnectionSettings;
import io.redisbridge.testing.RedisServerExtension;
import io.redisbridge.testing.TlsMaterial;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;

/**
 * TLS with the connector's own files against real servers: one that requires client certificates
 * ({@code tls-auth-clients yes}), one whose certificate is for another host. No test sets the JVM-wide
 * {@code javax.net.ssl.*} properties: everything comes from the connector's settings.
 */
class RedisTlsIT {

  private static final TlsMaterial TLS = TlsMaterial.create();

  @RegisterExtension
  static final RedisServerExtension mutual = new RedisServerExtension(TLS.mutualServerArgs().toArray(String[]::new));

  @RegisterExtension
  static final RedisServerExtension otherHost =
      new RedisServerExtension(TLS.otherHostServerArgs().toArray(String[]::new));

  private static Map<String, String> trusting(int port) {
    Map<String, String> props = new HashMap<>();
    props.put(RedisConnectionConfig.URI, "rediss://127.0.0.1:" + port);
    props.put(RedisConnectionConfig.TLS_TRUSTSTORE_PATH, TLS.truststore().toString());
    props.put(RedisConnectionConfig.TLS_TRUSTSTORE_PASSWORD, TlsMaterial.TRUSTSTORE_PASSWORD);
    return props;
  }

  private static Map<String, String> withKeystore() {
    Map<String, String> props = trusting(TLS.tlsPort());
    props.put(RedisConnectionConfig.TLS_KEYSTORE_PATH, TLS.clientKeystore().toString());
    props.put(RedisConnectionConfig.TLS_KEYSTORE_PASSWORD, TlsMaterial.KEYSTORE_PASSWORD);
    return props;
  }

  private static Map<String, String> withPem(String keyPath, String keyPassword) {
    Map<String, String> props = new HashMap<>();
    props.put(RedisConnectionConfig.URI, "rediss://127.0.0.1:" + TLS.tlsPort());
    props.put(RedisConnectionConfig.TLS_CA_PEM_PATH, TLS.caPem().toString());
    props.put(RedisConnectionConfig.TLS_CERTIFICATE_PEM_PATH, TLS.clientCertificatePem().toString());
    props.put(RedisConnectionConfig.TLS_KEY_PEM_PATH, keyPath);
    if (keyPassword != null) {
      props.put(RedisConnectionConfig.TLS_KEY_PASSWORD, keyPassword);
    }
    return props;
  }

  private static RedisConnectionSettings settings(Map<String, String> props) {
    return RedisConnectionConfig.read(new AbstractConfig(RedisConnectionConfig.addTo(new ConfigDef()), props, false));
  }

  /** Writes and reads an entry over a connection made from {@code props}. */
  private static long roundTrip(Map<String, String> props, String stream) {
    try (UnifiedJedis redis = RedisClients.create(settings(props))) {
      redis.xadd(stream, XAddParams.xAddParams(), Map.of("order_id", "1"));
      return redis.xlen(stream);
    }
  }

  @Test
  void aClientCertificateFromAKeyStoreOrFromPemFilesIsAccepted() {
    assertThat(System.getProperty("javax.net.ssl.keyStore")).isNull();
    assertThat(System.getProperty("javax.net.ssl.trustStore")).isNull();

    assertThat(RedisProbe.problem(withKeystore())).isEmpty();
    assertThat(roundTrip(withKeystore(), "mtls-keystore")).isEqualTo(1);

    Map<String, String> pkcs8 = withPem(TLS.clientKeyPem().toString(), null);
    Map<String, String> pkcs1 = withPem(TLS.clientKeyPkcs1Pem().toString(), null);
    Map<String, String> encrypted = withPem(TLS.clientKeyEncryptedPem().toString(), TlsMaterial.KEY_PASSWORD);
    for (Map<String, String> pem : java.util.List.of(pkcs8, pkcs1, encrypted)) {
      assertThat(RedisProbe.problem(pem)).as(pem.get(RedisConnectionConfig.TLS_KEY_PEM_PATH)).isEmpty();
    }
    assertThat(roundTrip(encrypted, "mtls-pem")).isEqualTo(1);
    assertThat(mutual.client().xlen("mtls-pem")).isEqualTo(1);
  }

  @Test
  void withoutAClientCertificateTheProblemNamesTheKeyStoreSettings() {
    RedisProbe.Problem problem = RedisProbe.problem(trusting(TLS.tlsPort())).orElseThrow();

    assertThat(problem.key()).as(problem.message()).isEqualTo(RedisConnectionConfig.TLS_KEYSTORE_PATH);
    assertThat(problem.message()).contains("requires a client certificate", "redis.tls.certificate.pem.path");
    assertThat(problem.message()).doesNotContain(TlsMaterial.TRUSTSTORE_PASSWORD);
  }

  @Test
  void aServerCertificateForAnotherHostIsRefusedUnlessHostNamesAreNotChecked() {
    RedisProbe.Problem problem = RedisProbe.problem(trusting(TLS.otherHostTlsPort())).orElseThrow();

    assertThat(problem.key()).isEqualTo(RedisConnectionConfig.URI);
    assertThat(problem.message()).contains("not for this host name", "127.0.0.1");

    Map<String, String> unchecked = trusting(TLS.otherHostTlsPort());
    unchecked.put(RedisConnectionConfig.TLS_VERIFY_HOSTNAME, "false");
    assertThat(RedisProbe.problem(unchecked)).isEmpty();
  }

  @Test
  void aServerThatNoConfiguredAuthorityVouchesForIsRefused() {
    Map<String, String> props = new HashMap<>();
    props.put(RedisConnectionConfig.URI, "rediss://127.0.0.1:" + TLS.otherHostTlsPort());

    RedisProbe.Problem problem = RedisProbe.problem(props).orElseThrow();

    assertThat(problem.key()).isEqualTo(RedisConnectionConfig.TLS_TRUSTSTORE_PATH);
    assertThat(problem.message()).contains("does not chain to a trusted CA", "redis.tls.ca.pem.path");
  }

  @Test
  void contradictoryOrIncompleteTlsFilesAreRefusedWithTheKeyToFix() {
    Map<String, String> both = withKeystore();
    both.put(RedisConnectionConfig.TLS_CERTIFICATE_PEM_PATH, TLS.clientCertificatePem().toString());
    both.put(RedisConnectionConfig.TLS_KEY_PEM_PATH, TLS.clientKeyPem().toString());
    assertThatThrownBy(() -> settings(both)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("redis.tls.keystore.path").hasMessageContaining("not both");

    Map<String, String> certificateOnly = trusting(TLS.tlsPort());
    certificateOnly.put(RedisConnectionConfig.TLS_CERTIFICATE_PEM_PATH, TLS.clientCertificatePem().toString());
    assertThatThrownBy(() -> settings(certificateOnly)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("redis.tls.key.pem.path");

    Map<String, String> missingFile = trusting(TLS.tlsPort());
    missingFile.put(RedisConnectionConfig.TLS_KEYSTORE_PATH, "/nonexistent/client.p12");
    RedisProbe.Problem problem = RedisProbe.problem(missingFile).orElseThrow();
    assertThat(problem.key()).isEqualTo(RedisConnectionConfig.TLS_KEYSTORE_PATH);
    assertThat(problem.message()).contains("not a readable file");

    Map<String, String> wrongKeyPassword = withPem(TLS.clientKeyEncryptedPem().toString(), "not-the-password");
    problem = RedisProbe.problem(wrongKeyPassword).orElseThrow();
    assertThat(problem.key()).isEqualTo(RedisConnectionConfig.TLS_KEY_PEM_PATH);
    assertThat(problem.message()).contains("wrong redis.tls.key.password");
    assertThat(problem.message()).doesNotContain("not-the-password");

    Map<String, String> noPassword = withPem(TLS.clientKeyEncryptedPem().toString(), null);
    assertThat(RedisProbe.problem(noPassword).orElseThrow().message()).contains("set redis.tls.key.password");
  }
}
