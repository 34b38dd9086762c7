package dev.baton.registry.hooks;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code X-Baton-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes with the receiver's secret>}
 * (docs/registry-api.md, "Notifications"). The JDK's {@link Mac} is enough: no library.
 */
public final class Signature {

  public static final String HEADER = "X-Baton-Signature";

  private Signature() {
  }

  /** The header's value for {@code body} signed with {@code secret} (UTF-8 bytes of the secret as the key). */
  public static String of(byte[] body, String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** True when {@code header} is the signature of {@code body} with {@code secret}, compared in constant time. */
  public static boolean verify(byte[] body, String secret, String header) {
    return header != null && java.security.MessageDigest.isEqual(
        of(body, secret).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        header.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }
}
