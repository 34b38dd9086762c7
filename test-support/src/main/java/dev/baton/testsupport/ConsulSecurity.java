package dev.baton.testsupport;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What a test Consul enforces beyond {@code consul agent -dev}'s defaults, as an operator would set it up
 * (docs/consul.md): ACLs with {@code default_policy = "deny"}, and optionally HTTPS that requires a client
 * certificate ({@code verify_incoming_https}), with certificates made by Consul's own {@code consul tls} tool.
 * The plain HTTP port stays open in every mode, so the test's own readiness checks and ACL calls need no
 * certificate; services under test are pointed at the HTTPS port to prove they speak it.
 */
public final class ConsulSecurity {

  /** The modes a test can ask for. */
  public enum Mode {
    /** No ACLs, plain HTTP: {@code consul agent -dev} as it comes. */
    NONE,
    /** ACLs on, default deny; a random management token. */
    ACL,
    /** ACLs as {@link #ACL}, plus an HTTPS port that requires a client certificate signed by the test CA. */
    ACL_HTTPS
  }

  public static final String TOKEN_HEADER = "X-Consul-Token";

  private final Mode mode;
  private final Path tlsDir;
  private final String managementToken;

  ConsulSecurity(Mode mode, Path dir) {
    this.mode = mode;
    this.tlsDir = dir.resolve("tls");
    this.managementToken = mode == Mode.NONE ? null : UUID.randomUUID().toString();
  }

  public Mode mode() {
    return mode;
  }

  public boolean https() {
    return mode == Mode.ACL_HTTPS;
  }

  /** The bootstrap management token (Consul 1.8: {@code acl.tokens.master}); null without ACLs. */
  public String managementToken() {
    return managementToken;
  }

  /** The CA that signed the agent's HTTPS certificate and the client certificate. */
  public Path caFile() {
    return tlsDir.resolve("consul-agent-ca.pem");
  }

  public Path clientCertFile() {
    return tlsDir.resolve("dc1-client-consul-0.pem");
  }

  public Path clientKeyFile() {
    return tlsDir.resolve("dc1-client-consul-0-key.pem");
  }

  private Path serverCertFile() {
    return tlsDir.resolve("dc1-server-consul-0.pem");
  }

  private Path serverKeyFile() {
    return tlsDir.resolve("dc1-server-consul-0-key.pem");
  }

  /**
   * Makes the CA, the server certificate (names {@code localhost} and {@code 127.0.0.1}) and a client
   * certificate with {@code consul tls}, once; a restart reuses them.
   */
  void prepare(Path binary) {
    if (!https() || Files.exists(clientKeyFile())) {
      return;
    }
    try {
      Files.createDirectories(tlsDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + tlsDir, e);
    }
    for (List<String> args : List.of(List.of("ca", "create"), List.of("cert", "create", "-server"),
        List.of("cert", "create", "-client"))) {
      List<String> command = new ArrayList<>(List.of(binary.toString(), "tls"));
      command.addAll(args);
      try (ManagedProcess p = ManagedProcess.builder(command).name("consul-tls").directory(tlsDir)
          .logFile(tlsDir.resolve("consul-tls.log")).start()) {
        int code = p.waitForExit(Duration.ofSeconds(30));
        if (code != 0) {
          throw new IllegalStateException(String.join(" ", command) + " exited " + code + ":\n" + p.logTail(20));
        }
      }
    }
  }

  /** Adds this mode's settings to the agent's JSON config. */
  void configure(JsonObject config, JsonObject ports, int httpsPort) {
    if (mode == Mode.NONE) {
      return;
    }
    // Consul 1.11 renamed the bootstrap token "master" to "initial_management" (the old name still works).
    JsonObject tokens = new JsonObject()
        .put(ConsulBinary.atLeast(1, 11) ? "initial_management" : "master", managementToken)
        .put("agent", managementToken);
    config.put("acl", new JsonObject().put("enabled", true).put("default_policy", "deny")
        .put("down_policy", "extend-cache").put("tokens", tokens));
    if (https()) {
      ports.put("https", httpsPort);
      config.put("ca_file", caFile().toString()).put("cert_file", serverCertFile().toString())
          .put("key_file", serverKeyFile().toString()).put("verify_incoming_https", true);
    }
  }

  /**
   * Creates a policy from {@code rules} (Consul's HCL) and a token holding it, through the ACL HTTP API with the
   * management token, as {@code consul acl policy create} / {@code consul acl token create} would.
   *
   * @return the token's secret, what a service sends as {@code X-Consul-Token}
   */
  String createToken(String httpAddress, String policyName, String rules) {
    if (managementToken == null) {
      throw new IllegalStateException("this Consul runs without ACLs (ConsulSecurity.Mode.NONE)");
    }
    Http acl = new Http(httpAddress).with(TOKEN_HEADER, managementToken);
    acl.put("/v1/acl/policy", new JsonObject().put("Name", policyName).put("Rules", rules))
        .ok("create ACL policy " + policyName);
    JsonObject token = acl.put("/v1/acl/token", new JsonObject().put("Description", "baton test: " + policyName)
        .put("Policies", new JsonArray().add(new JsonObject().put("Name", policyName))))
        .ok("create ACL token for " + policyName).json();
    return token.getString("SecretID");
  }
}
