package dev.baton.gateway.connections;

import static dev.baton.gateway.connections.ConnectionCounts.Verdict.ADMITTED;
import static dev.baton.gateway.connections.ConnectionCounts.Verdict.OVER_CLIENT;
import static dev.baton.gateway.connections.ConnectionCounts.Verdict.OVER_GLOBAL;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ConnectionCountsTest {

  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void oneAddressGetsItsCapAndOthersKeepTheirs() throws Exception {
    ConnectionCounts c = new ConnectionCounts(10, 2);
    assertThat(c.admit(ip("10.0.0.1"), true)).isEqualTo(ADMITTED);
    assertThat(c.admit(ip("10.0.0.1"), true)).isEqualTo(ADMITTED);
    assertThat(c.admit(ip("10.0.0.1"), true)).isEqualTo(OVER_CLIENT);
    assertThat(c.admit(ip("10.0.0.2"), true)).isEqualTo(ADMITTED);
    assertThat(c.open()).isEqualTo(3);
    c.release(ip("10.0.0.1"), true);
    assertThat(c.admit(ip("10.0.0.1"), true)).isEqualTo(ADMITTED);
  }

  @Test
  void theGlobalCapCountsEveryoneAndAReleaseFreesASlot() throws Exception {
    ConnectionCounts c = new ConnectionCounts(3, 2);
    assertThat(c.admit(ip("10.0.0.1"), false)).isEqualTo(ADMITTED);
    assertThat(c.admit(ip("10.0.0.1"), false)).isEqualTo(ADMITTED);
    assertThat(c.admit(ip("10.0.0.1"), false)).as("uncapped address: only the global cap").isEqualTo(ADMITTED);
    assertThat(c.admit(ip("10.0.0.2"), true)).isEqualTo(OVER_GLOBAL);
    assertThat(c.open(ip("10.0.0.2"))).isZero();
    c.release(ip("10.0.0.1"), false);
    assertThat(c.admit(ip("10.0.0.2"), true)).isEqualTo(ADMITTED);
    assertThat(c.open()).isEqualTo(3);
  }

  @Test
  void anAddressWithNoConnectionLeftIsForgotten() throws Exception {
    ConnectionCounts c = new ConnectionCounts(10, 5);
    c.admit(ip("10.0.0.1"), true);
    c.admit(ip("::1"), true);
    assertThat(c.clients()).isEqualTo(2);
    c.release(ip("10.0.0.1"), true);
    c.release(ip("::1"), true);
    assertThat(c.clients()).isZero();
    assertThat(c.open()).isZero();
  }
}
