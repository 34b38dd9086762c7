package dev.baton.gateway.connections;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DescriptorLimitsTest {

  static final String PROC = """
      Limit                     Soft Limit           Hard Limit           Units
      Max cpu time              unlimited            unlimited            seconds
      Max processes             63704                63704                processes
      Max open files            20000                524288               files
      Max locked memory         8388608              8388608              bytes
      """;

  @Test
  void readsTheOpenFilesLineOfProcLimits() {
    DescriptorLimits l = DescriptorLimits.parse(PROC);
    assertThat(l.soft()).isEqualTo(20_000);
    assertThat(l.hard()).isEqualTo(524_288);
    assertThat(DescriptorLimits.parse(PROC.replace("524288 ", "unlimited")).hard()).isEqualTo(-1);
    assertThat(DescriptorLimits.parse("Limit Soft Hard\n").known()).isFalse();
  }

  @Test
  void theDefaultConnectionLimitLeavesAQuarterOfTheDescriptorsAndAtLeast256() {
    assertThat(new DescriptorLimits(20_000, 20_000, -1).defaultMaxConnections()).isEqualTo(15_000);
    assertThat(new DescriptorLimits(1_048_576, 1_048_576, -1).defaultMaxConnections()).isEqualTo(786_432);
    assertThat(new DescriptorLimits(1024, 4096, -1).defaultMaxConnections()).isEqualTo(768);
    assertThat(new DescriptorLimits(300, 300, -1).defaultMaxConnections()).isEqualTo(44);
    assertThat(DescriptorLimits.UNKNOWN.defaultMaxConnections()).isEqualTo(DescriptorLimits.FALLBACK_MAX_CONNECTIONS);
  }

  @Test
  void thisProcessHasAKnownLimitOnLinux() {
    DescriptorLimits l = DescriptorLimits.current();
    if (System.getProperty("os.name").toLowerCase().contains("linux")) {
      assertThat(l.known()).isTrue();
      assertThat(l.open()).isPositive();
    }
  }
}
