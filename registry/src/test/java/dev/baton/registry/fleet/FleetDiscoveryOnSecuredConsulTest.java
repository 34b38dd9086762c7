package dev.baton.registry.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.config.ConfigLoader;
import dev.baton.common.config.ServiceKind;
import dev.baton.common.consul.ConsulAccess;
import dev.baton.common.consul.ConsulRefusedException;
import dev.baton.common.consul.ServiceNames;
import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.ConsulProcess;
import dev.baton.testsupport.ConsulSecurity;
import dev.baton.testsupport.Repo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.consul.ConsulClient;
import io.vertx.ext.consul.ServiceOptions;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The registry's discovery — and with it {@link ConsulAccess}, the one place every baton Consul client comes
 * from — against a Consul with ACLs (default deny) and HTTPS requiring client certificates: it reads with the
 * shipped registry policy over HTTPS, and each way of getting access wrong fails its start with a message naming
 * the key to fix, checked against the errors a real Consul and a real TLS handshake produce.
 */
class FleetDiscoveryOnSecuredConsulTest {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension(ConsulProcess.Storage.IN_MEMORY,
      ConsulSecurity.Mode.ACL_HTTPS);

  static Vertx vertx;
  static String registryToken;

  @BeforeAll
  static void setUp() throws Exception {
    vertx = Vertx.vertx();
    registryToken = CONSUL.process().createToken("baton-registry",
        Files.readString(Repo.path("docs/consul-acl/baton-registry.hcl")));
    await(CONSUL.client(vertx).registerService(new ServiceOptions().setName(ServiceNames.AGENT).setId("agent-a")
        .setAddress("127.0.0.1").setPort(8070).setMeta(Map.of(ServiceNames.META_AGENT, "agent-a"))));
  }

  @AfterAll
  static void tearDown() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Env for the registry: {@code KEY=value} pairs, where {@code https}, {@code ca}, … stand for the test's files. */
  static ConsulAccess access(String pairs) {
    ConsulSecurity tls = CONSUL.process().security();
    Map<String, String> env = new HashMap<>();
    for (String pair : pairs.split(" ")) {
      String key = pair.substring(0, pair.indexOf('='));
      String value = switch (pair.substring(pair.indexOf('=') + 1)) {
        case "https" -> String.valueOf(CONSUL.process().httpsPort());
        case "http" -> String.valueOf(CONSUL.port());
        case "ca" -> tls.caFile().toString();
        case "notca" -> tls.clientCertFile().toString();
        case "cert" -> tls.clientCertFile().toString();
        case "key" -> tls.clientKeyFile().toString();
        case "token" -> registryToken;
        default -> pair.substring(pair.indexOf('=') + 1);
      };
      env.put(key, value);
    }
    return ConsulAccess.from(ConfigLoader.resolve(ServiceKind.REGISTRY, null, env, "test")).checkFiles();
  }

  static Future<FleetDiscovery> discover(ConsulAccess access) {
    ConsulClient client = ConsulClient.create(vertx, access.clientOptions().setTimeout(10_000));
    return FleetDiscovery.start(vertx, client, access, 60_000, 10_000);
  }

  @Test
  void readsPassingAgentsOverHttpsWithTheShippedRegistryPolicy() throws Exception {
    ConsulAccess access = access("BATON_CONSUL_PORT=https BATON_CONSUL_CA=ca BATON_CONSUL_CLIENT_CERT=cert "
        + "BATON_CONSUL_CLIENT_KEY=key BATON_CONSUL_TOKEN=token");

    FleetDiscovery fleet = await(discover(access));

    assertThat(await(fleet.agents())).extracting(FleetDiscovery.Member::id).containsExactly("agent-a");
    fleet.close();
  }

  /** the registry's env | the failure names. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      BATON_CONSUL_PORT=http BATON_CONSUL_TOKEN=0b0e8bd0-5f7c-4ad7-a1ab-3b52ae9e3ea1 | Consul does not know the ACL token in BATON_CONSUL_TOKEN
      BATON_CONSUL_PORT=https BATON_CONSUL_CA=ca BATON_CONSUL_TOKEN=token           | set BATON_CONSUL_CLIENT_CERT and BATON_CONSUL_CLIENT_KEY
      BATON_CONSUL_PORT=https BATON_CONSUL_CA=notca BATON_CONSUL_CLIENT_CERT=cert BATON_CONSUL_CLIENT_KEY=key | is not signed by the CA in BATON_CONSUL_CA
      BATON_CONSUL_PORT=https BATON_CONSUL_TOKEN=token                              | this Consul port speaks HTTPS
      BATON_CONSUL_PORT=http BATON_CONSUL_CA=ca BATON_CONSUL_TOKEN=token            | this Consul port speaks plain HTTP
      """)
  void aRefusalFailsTheStartNamingTheKey(String env, String names) {
    ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> await(discover(access(env))));

    assertThat(failure.getCause()).isInstanceOf(ConsulRefusedException.class).hasMessageContaining(names)
        .hasMessageNotContaining(registryToken);
  }

  @Test
  void noTokenSeesAnEmptyFleetBecauseConsulFiltersReadsSilently() throws Exception {
    FleetDiscovery fleet = await(discover(access("BATON_CONSUL_PORT=http")));

    assertThat(await(fleet.agents())).isEqualTo(List.of());
    fleet.close();
  }
}
