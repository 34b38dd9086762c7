package dev.baton.gateway.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.consul.ServiceNames;
import io.vertx.ext.consul.Check;
import io.vertx.ext.consul.CheckStatus;
import io.vertx.ext.consul.Node;
import io.vertx.ext.consul.Service;
import io.vertx.ext.consul.ServiceEntry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HealthEntriesTest {

  /** One instance whose node check is {@code serf} and whose own check is {@code service} ("-" for none). */
  @ParameterizedTest(name = "serfHealth={0} service check={1} -> passing={2} lost={3}")
  @CsvSource({
      "PASSING,  PASSING,  true,  false",
      "PASSING,  -,        true,  false",
      // the instance's own check fails: not routed, but its host is fine (it is not lost)
      "PASSING,  CRITICAL, false, false",
      "PASSING,  WARNING,  false, false",
      // gossip declared the node failed: the catalog keeps the instance, with its last (passing) check
      "CRITICAL, PASSING,  false, true",
      "CRITICAL, CRITICAL, false, true",
      "CRITICAL, -,        false, true",
      // a node check that only warns is not a failed node
      "WARNING,  PASSING,  false, false",
  })
  void passingAndLostFromTheChecks(String serf, String service, boolean passing, boolean lost) {
    List<Check> checks = new ArrayList<>();
    checks.add(new Check().setId(HealthEntries.SERF_HEALTH).setStatus(CheckStatus.valueOf(serf)).setServiceId(""));
    if (!"-".equals(service)) {
      checks.add(new Check().setId("service:shop-1").setServiceId("shop-1").setStatus(CheckStatus.valueOf(service)));
    }
    HealthEntries.Read read = HealthEntries.read("shop", List.of(entry("shop-1", 8080, checks)));
    assertThat(read.passing()).hasSize(passing ? 1 : 0);
    assertThat(read.lostKeys()).containsExactlyInAnyOrderElementsOf(lost ? List.of("shop-1@10.0.0.7:8080") : List.of());
  }

  @Test
  void aServiceCheckNamedSerfHealthIsNotTheNodes() {
    List<Check> checks = List.of(new Check().setId(HealthEntries.SERF_HEALTH).setServiceId("shop-1")
        .setStatus(CheckStatus.CRITICAL));
    assertThat(HealthEntries.read("shop", List.of(entry("shop-1", 8080, checks))).lostKeys()).isEmpty();
  }

  @ParameterizedTest(name = "not a routable baton instance: {0}")
  @CsvSource({"untagged", "no-version", "no-port"})
  void entriesThatAreNotInstancesAreNeitherPassingNorLost(String kind) {
    Service s = new Service().setId("x").setName("shop").setAddress("10.0.0.7").setPort("no-port".equals(kind) ? 0 : 80)
        .setTags(switch (kind) {
          case "untagged" -> List.of(ServiceNames.versionTag("1.0.0"));
          case "no-version" -> List.of(ServiceNames.TAG_BATON);
          default -> ServiceNames.instanceTags("1.0.0");
        });
    List<Check> failed = List.of(new Check().setId(HealthEntries.SERF_HEALTH).setStatus(CheckStatus.CRITICAL));
    HealthEntries.Read read = HealthEntries.read("shop",
        List.of(new ServiceEntry().setService(s).setNode(new Node()).setChecks(failed)));
    assertThat(read.passing()).isEmpty();
    assertThat(read.lostKeys()).isEmpty();
  }

  private static ServiceEntry entry(String id, int port, List<Check> checks) {
    Service s = new Service().setId(id).setName("shop").setAddress("10.0.0.7").setPort(port)
        .setTags(ServiceNames.instanceTags("1.0.0"));
    return new ServiceEntry().setService(s).setNode(new Node().setName("worker-1").setAddress("10.0.0.7"))
        .setChecks(checks);
  }
}
