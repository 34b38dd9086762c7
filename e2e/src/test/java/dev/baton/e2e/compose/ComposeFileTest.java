package dev.baton.e2e.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.baton.common.config.BatonConfig;
import dev.baton.common.config.ConfigKeys;
import dev.baton.common.config.ConfigLoader;
import dev.baton.common.config.ServiceKind;
import dev.baton.e2e.compose.ComposeFile.Published;
import dev.baton.e2e.compose.ComposeFile.Service;
import dev.baton.testsupport.Repo;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs in CI, so docker-compose.yml is kept true by construction: CI runs
 * {@code docker-compose config} on it, and this test checks it against the services' real configuration
 * code — the key catalogue {@link ConfigKeys#forService} and the loader {@link ConfigLoader#resolve} —
 * plus the wiring between services (names, ports, members, dependencies, health checks).
 */
class ComposeFileTest {

  private static final Set<String> EXPECTED = Set.of("certs", "consul", "registry", "gateway", "agent-1", "agent-2");
  private static Map<String, Service> services;

  @BeforeAll
  static void readComposeFile() {
    services = ComposeFile.read(Repo.root()).services();
  }

  @Test
  void runsConsulInDevModeTheRegistryTheGatewayAndTwoAgents() {
    assertThat(services.keySet()).containsExactlyInAnyOrderElementsOf(EXPECTED);
    assertThat(kindOf("registry")).isEqualTo(ServiceKind.REGISTRY);
    assertThat(kindOf("gateway")).isEqualTo(ServiceKind.GATEWAY);
    assertThat(kindOf("agent-1")).isEqualTo(ServiceKind.AGENT);
    assertThat(kindOf("agent-2")).isEqualTo(ServiceKind.AGENT);
    Service consul = services.get("consul");
    assertThat(String.valueOf(consul.body().get("image"))).startsWith("hashicorp/consul:");
    assertThat(String.valueOf(consul.body().get("command"))).contains("-dev");
  }

  @Test
  void everyBatonKeyIsOneTheServiceReallyReads() {
    List<String> unknown = new ArrayList<>();
    for (Service s : batonServices()) {
      Set<String> known = ConfigKeys.forService(s.kind().orElseThrow());
      s.env().keySet().stream().filter(k -> k.startsWith("BATON_") && !known.contains(k))
          .forEach(k -> unknown.add(s.name() + ": " + k));
    }
    assertThat(unknown).as("BATON_* keys no service reads (typos, or keys of another service)").isEmpty();
  }

  @Test
  void everyValueParsesWithTheServicesOwnLoader() {
    for (Service s : batonServices()) {
      assertThatCode(() -> ConfigLoader.resolve(s.kind().orElseThrow(), null, s.env(), s.name()))
          .as("configuration of %s", s.name()).doesNotThrowAnyException();
      BatonConfig c = config(s);
      // Service-specific numeric keys are read with intSetting; they must at least be integers.
      c.settings().forEach((k, v) -> {
        if (k.matches("BATON_.*_(MS|S|SECONDS|BYTES|ATTEMPTS|AFTER|SIZE|INSTANCES)")) {
          assertThatCode(() -> Long.parseLong(v)).as("%s %s=%s", s.name(), k, v).doesNotThrowAnyException();
        }
      });
    }
  }

  @Test
  void containersListenEverywhereAndAdvertiseTheirServiceName() {
    for (Service s : batonServices()) {
      BatonConfig c = config(s);
      assertThat(c.bind()).as("%s BATON_BIND", s.name()).isEqualTo("0.0.0.0");
      assertThat(c.advertiseHost()).as("%s BATON_ADVERTISE_HOST", s.name()).isEqualTo(s.name());
      assertThat(c.clusterHost()).as("%s BATON_CLUSTER_HOST", s.name()).isEqualTo(s.name());
      assertThat(c.id()).as("%s BATON_ID", s.name()).isNotBlank();
    }
    assertThat(batonServices().stream().map(s -> config(s).id()).distinct().count())
        .as("distinct BATON_ID per service").isEqualTo(batonServices().size());
  }

  @Test
  void gatewayTrafficIsPublishedAndEveryOtherPortOnlyOnLoopback() {
    Service gateway = services.get("gateway");
    assertThat(gateway.ports()).contains(new Published("", 8080, config(gateway).httpPort()));
    List<Integer> hostPorts = new ArrayList<>();
    for (Service s : services.values()) {
      for (Published p : s.ports()) {
        hostPorts.add(p.hostPort());
        if (s.kind().isPresent()) {
          BatonConfig c = config(s);
          Set<Integer> own = s.kind().get() == ServiceKind.GATEWAY ? Set.of(c.httpPort(), c.adminPort())
              : Set.of(c.httpPort());
          assertThat(own).as("%s publishes a port it listens on", s.name()).contains(p.containerPort());
        }
        if (!(s.name().equals("gateway") && p.containerPort() == config(gateway).httpPort())) {
          assertThat(p.hostIp()).as("%s %s is an API, not traffic: loopback only", s.name(), p).isEqualTo("127.0.0.1");
        }
      }
    }
    assertThat(hostPorts).as("host ports").doesNotHaveDuplicates();
  }

  @Test
  void clusterMembersNameEveryBatonServiceOnItsClusterPort() {
    Set<String> clusterNames = new TreeSet<>();
    for (Service s : batonServices()) {
      BatonConfig c = config(s);
      clusterNames.add(c.clusterName());
      Set<String> members = new TreeSet<>();
      for (String m : c.clusterMembers()) {
        String host = m.contains(":") ? m.substring(0, m.lastIndexOf(':')) : m;
        assertThat(services).as("%s lists cluster member %s", s.name(), m).containsKey(host);
        assertThat(m).as("member %s of %s names the port %s listens on", m, s.name(), host)
            .isEqualTo(host + ":" + config(services.get(host)).clusterPort());
        members.add(host);
      }
      assertThat(members).as("%s joins every baton service", s.name())
          .isEqualTo(batonServices().stream().map(Service::name).collect(Collectors.toCollection(TreeSet::new)));
    }
    assertThat(clusterNames).as("one cluster name").hasSize(1);
  }

  @Test
  void consulAndRegistryAddressesNameServicesOnTheirPorts() {
    for (Service s : batonServices()) {
      BatonConfig c = config(s);
      assertThat(services).as("%s BATON_CONSUL_HOST", s.name()).containsKey(c.consulHost());
      assertThat(c.consulPort()).as("%s BATON_CONSUL_PORT", s.name()).isEqualTo(8500);
      if (s.kind().get() != ServiceKind.GATEWAY) {
        URI registry = URI.create(c.registryUrl());
        assertThat(registry.getHost()).as("%s BATON_REGISTRY_URL", s.name()).isEqualTo("registry");
        assertThat(registry.getPort()).isEqualTo(config(services.get("registry")).httpPort());
      }
    }
  }

  @Test
  void dependenciesNameServicesAndWaitForTheirHealth() {
    for (Service s : services.values()) {
      s.dependsOn().forEach((name, condition) -> {
        assertThat(services).as("%s depends on %s", s.name(), name).containsKey(name);
        assertThat(condition).as("%s waits for %s to be healthy (or, for the one-shot certs, done)", s.name(), name)
            .isEqualTo(name.equals(CERTS) ? "service_completed_successfully" : "service_healthy");
      });
    }
    for (Service s : batonServices()) {
      assertThat(s.dependsOn()).as("%s waits for Consul", s.name()).containsKey("consul");
    }
    assertThat(services.get("agent-1").dependsOn()).containsKey("registry");
  }

  @Test
  void everyServiceHasAHealthcheckOnItsOwnPort() {
    for (Service s : services.values()) {
      if (s.name().equals(CERTS)) {
        continue; // one-shot: it exits once the certificates exist
      }
      assertThat(s.healthcheck()).as("%s healthcheck", s.name()).isPresent();
      if (s.kind().isPresent()) {
        BatonConfig c = config(s);
        int port = s.kind().get() == ServiceKind.GATEWAY ? c.adminPort() : c.httpPort();
        assertThat(s.healthcheck().get()).as("%s healthcheck", s.name()).contains("127.0.0.1:" + port + "/");
      }
    }
  }

  @Test
  void imagesAreBuiltFromTheRepoByTheMavenWrapperOntoAJre() throws Exception {
    for (Service s : batonServices()) {
      assertThat(s.buildContext()).as("%s build context", s.name()).contains(".");
      String dockerfile = Files.readString(Repo.root().resolve(s.dockerfile().orElseThrow()));
      String module = s.kind().get().key;
      assertThat(dockerfile)
          .contains("FROM eclipse-temurin:17-jdk AS build")
          .contains("./mvnw")
          .contains("-pl " + module)
          .contains("FROM eclipse-temurin:17-jre")
          .contains("COPY --from=build /src/" + module + "/target/baton-" + module + ".jar");
    }
    assertThat(Files.readString(Repo.root().resolve(".dockerignore"))).contains("**/target");
  }

  /**
   * Every baton service joins the event bus with mutual TLS: the certificates made by the one-shot {@code certs}
   * service ({@code baton certs}) for its own name, mounted read-only; the CA's key stays in a volume only that
   * service mounts.
   */
  @Test
  void everyMemberHasItsOwnClusterCertificateAndNoServiceSeesTheCaKey() {
    Service certs = services.get(CERTS);
    assertThat(certs.dockerfile()).contains("cli/Dockerfile");
    assertThat(String.valueOf(certs.body().get("command"))).contains("baton certs init ca")
        .contains("baton certs issue ca $$m --host $$m --out certs");
    for (Service s : batonServices()) {
      Map<String, String> env = s.env();
      assertThat(env).as("%s cluster TLS", s.name())
          .containsEntry("BATON_CLUSTER_CA", "/var/lib/baton/certs/ca.pem")
          .containsEntry("BATON_CLUSTER_CERT", "/var/lib/baton/certs/" + s.name() + ".pem")
          .containsEntry("BATON_CLUSTER_KEY", "/var/lib/baton/certs/" + s.name() + "-key.pem")
          .doesNotContainKey("BATON_CLUSTER_INSECURE");
      assertThat(String.valueOf(certs.body().get("command"))).as("certs issues one for %s", s.name()).contains(s.name());
      assertThat(String.valueOf(s.body().get("volumes"))).contains("certs:/var/lib/baton/certs:ro").doesNotContain("certs-ca");
      assertThat(s.dependsOn()).containsEntry(CERTS, "service_completed_successfully");
    }
  }

  /** The API tokens come from the operator's environment (compose refuses to start without them), never the file. */
  @Test
  void tokensAreRequiredFromTheEnvironmentAndNeverWrittenInTheFile() {
    for (Service s : batonServices()) {
      assertThat(s.composeEnv().get("BATON_TOKEN")).as("%s BATON_TOKEN", s.name()).startsWith("${BATON_TOKEN:?");
      assertThat(s.composeEnv().get("BATON_READ_TOKEN")).as("%s BATON_READ_TOKEN", s.name())
          .startsWith("${BATON_READ_TOKEN:?");
      if (s.kind().orElseThrow() == ServiceKind.AGENT) {
        assertThat(s.composeEnv()).containsEntry("BATON_REGISTRY_TOKEN", "${BATON_READ_TOKEN}");
      }
    }
  }

  /** Every module of the reactor is copied into each image's build stage (Maven reads them all, even with -pl). */
  @Test
  void everyDockerfileCopiesEveryReactorModule() throws Exception {
    String pom = Files.readString(Repo.root().resolve("pom.xml"));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("<module>([^<]+)</module>").matcher(pom);
    List<String> modules = new java.util.ArrayList<>();
    while (m.find()) {
      modules.add(m.group(1));
    }
    for (Service s : services.values()) {
      if (s.dockerfile().isEmpty()) {
        continue;
      }
      String dockerfile = Files.readString(Repo.root().resolve(s.dockerfile().get()));
      for (String module : modules) {
        assertThat(dockerfile).as("%s copies %s/", s.dockerfile().get(), module).contains("COPY " + module + "/ " + module + "/");
      }
    }
  }

  private static final String CERTS = "certs";

  private static List<Service> batonServices() {
    return services.values().stream().filter(s -> s.kind().isPresent()).toList();
  }

  private static ServiceKind kindOf(String name) {
    return services.get(name).kind().orElse(null);
  }

  private static BatonConfig config(Service s) {
    return ConfigLoader.resolve(s.kind().orElseThrow(), null, s.env(), s.name());
  }
}
