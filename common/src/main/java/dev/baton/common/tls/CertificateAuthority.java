package dev.baton.common.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster's certificate authority, as {@code baton certs} makes it: {@code ca.pem} + {@code ca-key.pem} in a
 * directory, and member certificates {@code <name>.pem} + {@code <name>-key.pem} signed by it. Keys are ECDSA
 * P-256 (fast to make, accepted by every TLS stack baton talks to); member certificates are valid for both
 * server and client authentication, because every event-bus member is both (docs/ARCHITECTURE.md, "Cluster").
 * Built on BouncyCastle's PKIX API with the JDK's own signature provider, so no JCE provider is registered.
 */
public final class CertificateAuthority {

  public static final String CA_CERT = "ca.pem";
  public static final String CA_KEY = "ca-key.pem";
  /** Default lifetimes: the CA ten years, a member certificate one year (rotate with {@code certs issue}). */
  public static final Duration CA_VALIDITY = Duration.ofDays(3650);
  public static final Duration MEMBER_VALIDITY = Duration.ofDays(365);

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9*:][A-Za-z0-9.*:_-]{0,252}");
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate cert;
  private final PrivateKey key;

  private CertificateAuthority(X509Certificate cert, PrivateKey key) {
    this.cert = cert;
    this.key = key;
  }

  /** A new CA written to {@code dir} (created 0700 if missing); refuses to overwrite an existing one. */
  public static CertificateAuthority init(Path dir, String commonName) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    Path certFile = dir.resolve(CA_CERT);
    Path keyFile = dir.resolve(CA_KEY);
    if (Files.exists(certFile) || Files.exists(keyFile)) {
      throw new IOException(dir + " already holds a CA (" + CA_CERT + " or " + CA_KEY
          + "); remove them first or use another directory");
    }
    try {
      KeyPair pair = newKeyPair();
      X500Name subject = name(commonName);
      Instant now = Instant.now();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
          Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(CA_VALIDITY)), subject, pair.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      X509Certificate ca = sign(b, pair.getPrivate());
      Pem.write(keyFile, true, pair.getPrivate());
      Pem.write(certFile, false, ca);
      return new CertificateAuthority(ca, pair.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot create a CA: " + e.getMessage(), e);
    }
  }

  /** The CA in {@code dir}, as {@link #init} wrote it. */
  public static CertificateAuthority load(Path dir) throws IOException {
    Path certFile = dir.resolve(CA_CERT);
    Path keyFile = dir.resolve(CA_KEY);
    if (!Files.exists(certFile) || !Files.exists(keyFile)) {
      throw new IOException(dir + " holds no CA (" + CA_CERT + " and " + CA_KEY + "); run `baton certs init "
          + dir + "` first");
    }
    X509Certificate ca = Pem.certificates(certFile).get(0);
    PrivateKey key = Pem.privateKey(keyFile);
    List<String> problems = CertificateChecks.keyMatches(ca, key, keyFile);
    if (!problems.isEmpty()) {
      throw new IOException(String.join("; ", problems));
    }
    return new CertificateAuthority(ca, key);
  }

  public X509Certificate certificate() {
    return cert;
  }

  /**
   * Issues {@code <name>.pem} and {@code <name>-key.pem} in {@code dir} for {@code hosts} (DNS names or IP
   * addresses, put in the subject alternative names), valid from now for {@code validity}. Existing files of
   * that name are replaced atomically, which is how a member certificate is rotated.
   */
  public List<Path> issue(Path dir, String name, List<String> hosts, Duration validity) throws IOException {
    Instant now = Instant.now();
    return issue(dir, name, hosts, now.minus(Duration.ofMinutes(5)), now.plus(validity));
  }

  /** As {@link #issue(Path, String, List, Duration)}, valid from {@code notBefore} to {@code notAfter}. */
  public List<Path> issue(Path dir, String name, List<String> hosts, Instant notBefore, Instant notAfter)
      throws IOException {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("name '" + name + "' must be 1-64 letters, digits, '.', '_' or '-'");
    }
    Set<String> sans = new LinkedHashSet<>(hosts);
    for (String h : sans) {
      if (!HOST.matcher(h).matches()) {
        throw new IllegalArgumentException("host '" + h + "' is not a DNS name or IP address");
      }
    }
    try {
      KeyPair pair = newKeyPair();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(cert, serial(),
          Date.from(notBefore), Date.from(notAfter), name(name), pair.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(cert));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      if (!sans.isEmpty()) {
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.stream()
            .map(CertificateAuthority::generalName).toArray(GeneralName[]::new)));
      }
      X509Certificate member = sign(b, key);
      Files.createDirectories(dir);
      Path certFile = dir.resolve(name + ".pem");
      Path keyFile = dir.resolve(name + "-key.pem");
      Pem.write(keyFile, true, pair.getPrivate());
      Pem.write(certFile, false, member);
      return List.of(certFile, keyFile);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot issue a certificate for " + name + ": " + e.getMessage(), e);
    }
  }

  private static GeneralName generalName(String host) {
    return looksLikeIp(host) ? new GeneralName(GeneralName.iPAddress, host) : new GeneralName(GeneralName.dNSName, host);
  }

  static boolean looksLikeIp(String host) {
    if (host.contains(":")) {
      return true;
    }
    if (!host.matches("[0-9.]+")) {
      return false;
    }
    try {
      InetAddress.getByName(host);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "baton").addRDN(BCStyle.CN, commonName).build();
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
  }

  /** The default hosts of a member certificate made for this machine's tests and dev stack. */
  public static List<String> loopbackHosts() {
    return new ArrayList<>(List.of("localhost", "127.0.0.1", "::1"));
  }
}
