package io.redisbridge.common.redis;

import io.redisbridge.common.config.RedisConnectionConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reads a private key from a PEM file as Redis operators hold them: PKCS#8 ({@code BEGIN PRIVATE KEY}),
 * encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE KEY}, with {@code redis.tls.key.password}) or an RSA
 * key in PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, what older openssl versions write).
 */
final class PemKeys {

  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
  private static final List<String> ALGORITHMS = List.of("RSA", "EC", "EdDSA");
  /** DER of AlgorithmIdentifier {rsaEncryption, NULL}. */
  private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
      (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

  private PemKeys() {}

  static PrivateKey read(Path file, String password) {
    String key = RedisConnectionConfig.TLS_KEY_PEM_PATH;
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new ConfigException(key, file.toString(), "cannot be read: " + e.getMessage());
    }
    Matcher block = BLOCK.matcher(text);
    while (block.find()) {
      String type = block.group(1);
      byte[] der = Base64.getMimeDecoder().decode(block.group(2));
      try {
        switch (type) {
          case "PRIVATE KEY" -> {
            return pkcs8(der);
          }
          case "RSA PRIVATE KEY" -> {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(rsaPkcs8(der)));
          }
          case "ENCRYPTED PRIVATE KEY" -> {
            if (password == null) {
              throw new ConfigException(key, file.toString(), "holds an encrypted key: set "
                  + RedisConnectionConfig.TLS_KEY_PASSWORD);
            }
            return pkcs8(decrypt(der, password));
          }
          case "EC PRIVATE KEY" -> throw new ConfigException(key, file.toString(), "holds an EC key in SEC1 "
              + "form; convert it to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
          default -> {
            // Certificates or parameters in the same file: look further.
          }
        }
      } catch (GeneralSecurityException | IOException e) {
        throw new ConfigException(key, file.toString(), "holds a " + type + " that cannot be read"
            + (type.startsWith("ENCRYPTED") ? " (wrong " + RedisConnectionConfig.TLS_KEY_PASSWORD + "?)" : "")
            + ": " + e.getMessage());
      }
    }
    throw new ConfigException(key, file.toString(), "holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    GeneralSecurityException last = null;
    for (String algorithm : ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw last;
  }

  private static byte[] decrypt(byte[] der, String password) throws GeneralSecurityException, IOException {
    EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
    // PBES2 (openssl's default) names its real scheme only in the parameters, e.g. PBEWithHmacSHA256AndAES_256.
    String algorithm = info.getAlgName().equals("PBES2") || info.getAlgName().equals("1.2.840.113549.1.5.13")
        ? info.getAlgParameters().toString() : info.getAlgName();
    Key secret = SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(password.toCharArray()));
    Cipher cipher = Cipher.getInstance(algorithm);
    cipher.init(Cipher.DECRYPT_MODE, secret, info.getAlgParameters());
    return info.getKeySpec(cipher).getEncoded();
  }

  /** Wraps a PKCS#1 RSAPrivateKey into PKCS#8 PrivateKeyInfo {version 0, rsaEncryption, OCTET STRING}. */
  static byte[] rsaPkcs8(byte[] pkcs1) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(RSA_ALGORITHM);
    body.writeBytes(der(0x04, pkcs1));
    return der(0x30, body.toByteArray());
  }

  private static byte[] der(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }
}
