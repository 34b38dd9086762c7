package dev.baton.common.consul;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Recognises why Consul refused a request and says which key fixes it (docs/consul.md): an ACL token Consul
 * does not know, a token without a permission, or an HTTPS handshake that failed. A pure function of the
 * failure's text, so every client — vertx-consul-client ({@code Status message: 'Forbidden'. Body: '…'}) and
 * the hand-written ones ({@code … 403 Permission denied …}) — is explained the same way.
 */
public final class ConsulRefusal {

  private static final String POLICY = "baton's ACL policy for this service (docs/consul.md)";
  private static final String SET_TOKEN = "set " + ConsulAccess.TOKEN + " (or " + ConsulAccess.CONSUL_CLI_TOKEN
      + ") to a token with " + POLICY;

  private ConsulRefusal() {
  }

  /**
   * What to do about a failure whose text (messages of the whole cause chain) is {@code failure}; empty when it
   * is not a refusal (e.g. Consul is down, which retrying fixes).
   *
   * @param tokenSet whether a token was sent
   * @param tls      whether the client spoke HTTPS
   */
  public static Optional<String> describe(String failure, boolean tokenSet, boolean tls) {
    if (failure == null) {
      return Optional.empty();
    }
    if (failure.contains("ACL not found")) {
      return Optional.of(tokenSet
          ? "Consul does not know the ACL token in " + ConsulAccess.TOKEN + " (ACL not found; deleted, expired or "
              + "mistyped): " + SET_TOKEN
          : "Consul does not accept requests without an ACL token (ACL not found): " + SET_TOKEN);
    }
    if (failure.contains("Permission denied")) {
      String detail = detail(failure);
      return Optional.of(tokenSet
          ? "the ACL token in " + ConsulAccess.TOKEN + " lacks a permission (" + detail + "): give it " + POLICY
          : "no ACL token is set and Consul's anonymous token may not do this (" + detail + "): " + SET_TOKEN);
    }
    if (failure.contains("Client sent an HTTP request to an HTTPS server")) {
      return Optional.of("this Consul port speaks HTTPS: set " + ConsulAccess.CA + " (or " + ConsulAccess.TLS
          + "=true), or point BATON_CONSUL_PORT at Consul's HTTP port");
    }
    if (!tls) {
      return Optional.empty();
    }
    if (failure.contains("not an SSL/TLS record") || failure.contains("Unrecognized SSL message")) {
      return Optional.of("this Consul port speaks plain HTTP: point BATON_CONSUL_PORT at Consul's HTTPS port, or "
          + "unset " + ConsulAccess.TLS + " and " + ConsulAccess.CA);
    }
    if (failure.contains("PKIX path") || failure.contains("unable to find valid certification path")) {
      return Optional.of("Consul's HTTPS certificate is not signed by the CA in " + ConsulAccess.CA
          + " (without it, by a CA this JVM trusts)");
    }
    if (failure.contains("No subject alternative") || failure.contains("No name matching")) {
      return Optional.of("Consul's HTTPS certificate does not name BATON_CONSUL_HOST: use a name or address it "
          + "lists, or issue it with one (consul tls cert create -additional-dnsname / -additional-ipaddress)");
    }
    if (failure.contains("bad_certificate") || failure.contains("certificate_required")
        || failure.contains("unknown_ca")) {
      return Optional.of("Consul requires a client certificate it trusts (verify_incoming): set "
          + ConsulAccess.CLIENT_CERT + " and " + ConsulAccess.CLIENT_KEY + " to one signed by Consul's CA");
    }
    return Optional.empty();
  }

  /** The class names and messages of {@code t} and its causes, joined. */
  public static String text(Throwable t) {
    List<String> parts = new ArrayList<>();
    for (Throwable c = t; c != null && parts.size() < 10; c = c.getCause() == c ? null : c.getCause()) {
      parts.add(c.getClass().getName() + ": " + c.getMessage());
    }
    return String.join(" / ", parts);
  }

  /** {@code Permission denied: Missing service:write on x} out of the client's wrapping. */
  private static String detail(String failure) {
    int from = failure.indexOf("Permission denied");
    int end = failure.length();
    for (String stop : new String[] {"'", " / ", "\n"}) {
      int i = failure.indexOf(stop, from);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    return failure.substring(from, end).trim();
  }
}
