package dev.baton.registry.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.ext.consul.Service;
import io.vertx.ext.consul.ServiceEntry;
import io.vertx.ext.consul.ServiceEntryList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryPeersTest {

  @Test
  void peersAreTheOtherRegistriesWithAUsableURLOncePerIdSortedById() {
    ServiceEntryList list = new ServiceEntryList().setList(List.of(
        entry("registry-2", "http://10.0.0.2:8090/"),
        entry("registry-1", "http://10.0.0.1:8090"),
        entry("registry-3", "https://registry-3.internal/baton"),
        entry("registry-3", "https://registry-3.internal/baton"),
        entry("forged", "file:///etc/passwd"),
        entry("no-url", null)));
    assertThat(RegistryPeers.peers(list, "registry-1")).containsExactly(
        new Peer("registry-2", "http://10.0.0.2:8090"),
        new Peer("registry-3", "https://registry-3.internal/baton"));
    assertThat(RegistryPeers.peers(new ServiceEntryList(), "registry-1")).isEmpty();
    assertThat(RegistryPeers.peers(null, "registry-1")).isEmpty();
  }

  /** Meta.http | whether the token may go there. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      http://10.0.0.2:8090             | true
      https://reg.internal/baton       | true
      http://user:pw@10.0.0.2:8090     | false
      http://10.0.0.2:8090/?next=x     | false
      http://10.0.0.2:8090/#x          | false
      ftp://10.0.0.2                   | false
      10.0.0.2:8090                    | false
      http://                          | false
      ''                               | false
      """)
  void onlyAnHttpBaseURLIsAPeer(String url, boolean usable) {
    assertThat(RegistryPeers.isBaseUrl(url)).isEqualTo(usable);
  }

  /** Meta.http | whether its host is one of BATON_CLUSTER_MEMBERS' hosts. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      http://10.0.0.2:8090             | true
      https://REGISTRY-B.internal:8090 | true
      http://[fd00::2]:8090            | true
      http://10.0.0.9:8090             | false
      http://evil.example:8090         | false
      """)
  void theTokenGoesOnlyToHostsTheOperatorListedAsMembers(String url, boolean inFleet) {
    Set<String> hosts = RegistryPeers.hostsOf(List.of("10.0.0.1:5701", " 10.0.0.2:5701", "registry-b.internal:5701",
        "[fd00::2]:5701"));
    assertThat(hosts).containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2", "registry-b.internal", "fd00::2");
    assertThat(RegistryPeers.inFleet(new Peer("p", url), hosts)).isEqualTo(inFleet);
  }

  @Test
  void theRegistryThatAskedIsAskedFirst() {
    List<Peer> live = List.of(new Peer("a", "http://a"), new Peer("b", "http://b"), new Peer("c", "http://c"));
    assertThat(PeerOrder.of(live, "b")).extracting(Peer::id).containsExactly("b", "a", "c");
    assertThat(PeerOrder.of(live, null)).extracting(Peer::id).containsExactly("a", "b", "c");
    assertThat(PeerOrder.of(live, "gone")).extracting(Peer::id).containsExactly("a", "b", "c");
  }

  private static ServiceEntry entry(String id, String url) {
    Service s = new Service().setId(id).setName("baton-registry");
    if (url != null) {
      s.setMeta(Map.of("http", url));
    }
    return new ServiceEntry().setService(s);
  }
}
