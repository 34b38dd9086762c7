package dev.baton.common.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The checks a member's certificate files pass before it joins the cluster, each failure a sentence naming the
 * file: readable, a certificate signed by one of the CA file's certificates, in date, and a key that belongs to
 * it. A service that fails one does not start (nothing joins half-configured).
 */
public final class CertificateChecks {

  private CertificateChecks() {
  }

  /** The loaded, checked material, or the list of problems. */
  public record Result(List<X509Certificate> cas, List<X509Certificate> chain, PrivateKey key, List<String> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /** Checks the CA, certificate and key files (by their configuration keys, named in every message) at {@code now}. */
  public static Result check(Path caFile, Path certFile, Path keyFile, Instant now) {
    List<String> problems = new ArrayList<>();
    List<X509Certificate> cas = read(caFile, problems, CertificateChecks::certificates);
    List<X509Certificate> chain = read(certFile, problems, CertificateChecks::certificates);
    PrivateKey key = read(keyFile, problems, Pem::privateKey);
    if (cas != null) {
      for (X509Certificate ca : cas) {
        if (ca.getBasicConstraints() < 0) {
          problems.add(caFile + ": " + subject(ca) + " is not a CA certificate (no CA basic constraint)");
        }
        inDate(ca, caFile, now, problems);
      }
    }
    if (chain != null) {
      X509Certificate leaf = chain.get(0);
      inDate(leaf, certFile, now, problems);
      if (cas != null && cas.stream().noneMatch(ca -> signedBy(leaf, ca))) {
        problems.add(certFile + ": " + subject(leaf) + " is not signed by the cluster CA in " + caFile
            + " (issue it with `baton certs issue` from that CA)");
      }
      if (key != null) {
        problems.addAll(keyMatches(leaf, key, keyFile));
      }
    }
    return new Result(cas, chain, key, List.copyOf(problems));
  }

  /** Empty when {@code key} is the private key of {@code cert}'s public key (proved by a signature). */
  static List<String> keyMatches(X509Certificate cert, PrivateKey key, Path keyFile) {
    try {
      String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      byte[] probe = "baton key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      if (verifier.verify(signature)) {
        return List.of();
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      // a key of another type than the certificate's: not its key either
    }
    return List.of(keyFile + ": this private key does not belong to the certificate " + subject(cert));
  }

  private static List<X509Certificate> certificates(Path file) throws IOException {
    return Pem.certificates(file);
  }

  private interface Reader<T> {
    T read(Path file) throws IOException;
  }

  private static <T> T read(Path file, List<String> problems, Reader<T> reader) {
    if (!Files.isReadable(file)) {
      problems.add(file + ": " + (Files.exists(file) ? "cannot be read (permissions)" : "does not exist"));
      return null;
    }
    try {
      return reader.read(file);
    } catch (IOException e) {
      problems.add(e.getMessage());
      return null;
    }
  }

  private static void inDate(X509Certificate cert, Path file, Instant now, List<String> problems) {
    Date at = Date.from(now);
    if (at.after(cert.getNotAfter())) {
      problems.add(file + ": " + subject(cert) + " expired on " + cert.getNotAfter().toInstant()
          + " (issue a new one with `baton certs issue`)");
    } else if (at.before(cert.getNotBefore())) {
      problems.add(file + ": " + subject(cert) + " is not valid before " + cert.getNotBefore().toInstant()
          + " (check this host's clock)");
    }
  }

  private static boolean signedBy(X509Certificate cert, X509Certificate ca) {
    try {
      cert.verify(ca.getPublicKey());
      return cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static String subject(X509Certificate cert) {
    return "'" + cert.getSubjectX500Principal().getName() + "'";
  }
}
