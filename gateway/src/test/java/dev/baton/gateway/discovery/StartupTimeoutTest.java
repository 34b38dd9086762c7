package dev.baton.gateway.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartupTimeoutTest {

  @Test
  void consulThatNeverAnsweredIsNamedAsDownOrMisaddressed() {
    SourceHealth catalog = failing("catalog", "Connection refused");
    SourceHealth routes = failing("kv baton/routes/", "Connection refused");

    String message = StartupTimeout.message("127.0.0.1:8500", 30_000, List.of(catalog, routes));

    assertThat(message).startsWith("cannot read routes from Consul at 127.0.0.1:8500 within 30000 ms")
        .contains("'catalog': Connection refused").contains("start Consul or fix BATON_CONSUL_HOST");
  }

  @Test
  void consulThatAnsweredSomeSourcesPointsAtItsConnectionLimit() {
    SourceHealth catalog = new SourceHealth("catalog");
    catalog.succeeded(1_000);
    SourceHealth app = failing("health shop-0250", "Connection reset by peer");
    SourceHealth waiting = new SourceHealth("health shop-0251"); // its first read still in flight

    String message = StartupTimeout.message("127.0.0.1:8500", 30_000, List.of(catalog, app, waiting));

    assertThat(message).contains("2 of 3 unread").contains("'health shop-0250': Connection reset by peer")
        .contains("limits.http_max_conns_per_client").doesNotContain("start Consul");
  }

  private static SourceHealth failing(String name, String error) {
    SourceHealth s = new SourceHealth(name);
    s.failed(1_000, new IOException(error));
    return s;
  }
}
