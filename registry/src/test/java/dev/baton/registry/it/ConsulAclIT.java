package dev.baton.registry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.common.config.ServiceKind;
import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.ConsulProcess;
import dev.baton.testsupport.ConsulSecurity;
import dev.baton.testsupport.Repo;
import dev.baton.testsupport.stack.Service;
import dev.baton.testsupport.stack.Stack;
import dev.baton.testsupport.stack.StackBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole stack against a Consul run as docs/consul.md tells operators to: ACLs on with default deny, HTTPS
 * that requires a client certificate. Each kind of service gets a token holding only the policy shipped for it
 * in {@code docs/consul-acl/}, created through Consul's ACL API. A service without a token, or with a token
 * lacking its policy, refuses to start and names {@code BATON_CONSUL_TOKEN} instead of retrying in silence.
 */
class ConsulAclIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension(ConsulProcess.Storage.IN_MEMORY,
      ConsulSecurity.Mode.ACL_HTTPS);

  static final List<String> KINDS = List.of("agent", "gateway", "registry");
  static final Map<String, String> TOKENS = new HashMap<>();

  @BeforeAll
  static void createTokensFromTheShippedPolicies() throws IOException {
    for (String kind : KINDS) {
      String rules = Files.readString(Repo.path("docs/consul-acl/baton-" + kind + ".hcl"));
      TOKENS.put(kind, CONSUL.process().createToken("baton-" + kind, rules));
    }
  }

  /** Consul's HTTPS port, its CA and the client certificate, plus {@code kind}'s token. */
  static Map<String, String> overHttps(String kind) {
    ConsulSecurity tls = CONSUL.process().security();
    return Map.of("BATON_CONSUL_PORT", String.valueOf(CONSUL.process().httpsPort()),
        "BATON_CONSUL_CA", tls.caFile().toString(),
        "BATON_CONSUL_CLIENT_CERT", tls.clientCertFile().toString(),
        "BATON_CONSUL_CLIENT_KEY", tls.clientKeyFile().toString(),
        "BATON_CONSUL_TOKEN", TOKENS.get(kind));
  }

  @Test
  void aFleetHoldingOnlyItsShippedPoliciesReleasesAndServesOverHttps() throws IOException {
    try (Stack stack = StackFixture.stack(CONSUL, 1).env(ServiceKind.AGENT, overHttps("agent"))
        .env(ServiceKind.GATEWAY, overHttps("gateway")).env(ServiceKind.REGISTRY, overHttps("registry")).start()) {
      StackFixture given = new StackFixture(stack);
      given.givenApp("shop", 1, Map.of());
      given.givenServing("shop", "1.0.0");

      String rolling = given.release("shop", "2.0.0", null);

      given.awaitPhase(rolling, "SUCCEEDED");
      given.awaitServedOnly("shop", "2.0.0");
      for (Service s : stack.services()) {
        String log = Files.readString(s.process().logFile());
        assertThat(log).as(s.id() + "'s log").contains("https://127.0.0.1:" + CONSUL.process().httpsPort())
            .contains("token set");
        TOKENS.values().forEach(token -> assertThat(log).as(s.id() + "'s log").doesNotContain(token));
      }
    }
  }

  @Test
  void aGatewayWithoutATokenRefusesToStartNamingTheKey() {
    StackBuilder stack = StackFixture.stack(CONSUL, 0).env(ServiceKind.REGISTRY, "BATON_CONSUL_TOKEN", TOKENS.get("registry"));

    assertThatThrownBy(() -> stack.start().close())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("gateway-1")
        .hasMessageContaining("exited with 1")
        .hasMessageContaining("no ACL token is set")
        .hasMessageContaining("Missing service:write on baton-gateway")
        .hasMessageContaining("set BATON_CONSUL_TOKEN (or CONSUL_HTTP_TOKEN)");
  }

  @Test
  void anAgentWhoseTokenLacksItsPolicyRefusesToStartNamingTheKey() {
    StackBuilder stack = StackFixture.stack(CONSUL, 1)
        .env(ServiceKind.AGENT, "BATON_CONSUL_TOKEN", TOKENS.get("gateway"))
        .env(ServiceKind.GATEWAY, "BATON_CONSUL_TOKEN", TOKENS.get("gateway"))
        .env(ServiceKind.REGISTRY, "BATON_CONSUL_TOKEN", TOKENS.get("registry"));

    assertThatThrownBy(() -> stack.start().close())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("agent-1")
        .hasMessageContaining("exited with 1")
        .hasMessageContaining("the ACL token in BATON_CONSUL_TOKEN lacks a permission")
        .hasMessageContaining("Missing service:write on")
        .hasMessageNotContaining(TOKENS.get("gateway"));
  }
}
