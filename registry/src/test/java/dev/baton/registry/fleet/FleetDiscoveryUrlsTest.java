package dev.baton.registry.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.ext.consul.Check;
import io.vertx.ext.consul.CheckStatus;
import io.vertx.ext.consul.Service;
import io.vertx.ext.consul.ServiceEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetDiscoveryUrlsTest {

  private static ServiceEntry agent(String serviceId, String agent, String http, CheckStatus status) {
    return new ServiceEntry().setService(new Service().setId(serviceId).setName("baton-agent")
            .setMeta(http == null ? Map.of("agent", agent) : Map.of("agent", agent, "http", http)))
        .setChecks(List.of(new Check().setStatus(status)));
  }

  @Test
  void everyListedAgentGivesItsHttpUrlAndAPassingRegistrationWins() {
    Map<String, String> urls = FleetDiscovery.urls(List.of(
        agent("agent-1", "agent-1", "http://10.0.0.1:8070", CheckStatus.PASSING),
        agent("agent-2-old", "agent-2", "http://10.0.0.9:8070", CheckStatus.PASSING),
        agent("agent-2", "agent-2", "https://10.0.0.2:8070", CheckStatus.CRITICAL),
        agent("agent-3", "agent-3", "http://10.0.0.3:8070", CheckStatus.CRITICAL),
        agent("agent-4", "agent-4", null, CheckStatus.PASSING),
        agent("agent-5", "agent-5", "file:///etc/passwd", CheckStatus.PASSING)));

    assertThat(urls).containsExactlyInAnyOrderEntriesOf(Map.of("agent-1", "http://10.0.0.1:8070",
        "agent-2", "http://10.0.0.9:8070", "agent-3", "http://10.0.0.3:8070"));
  }
}
