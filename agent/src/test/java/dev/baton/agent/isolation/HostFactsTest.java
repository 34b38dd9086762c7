package dev.baton.agent.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostFactsTest {

  @Test
  void passwdLinesAreParsedAndMalformedOnesSkipped() {
    List<String> passwd = List.of("root:x:0:0:root:/root:/bin/bash", "broken line", "x:x:notanumber:1::/:/bin/sh",
        "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin");
    assertThat(Accounts.find("nobody", passwd)).contains(new Account("nobody", 65534, 65534, "/nonexistent"));
    assertThat(Accounts.find("ghost", passwd)).isEmpty();
    assertThat(Accounts.find("x", passwd)).isEmpty();
  }

  @Test
  void hardLimitsComeFromTheThirdColumn() {
    String table = """
        Limit                     Soft Limit           Hard Limit           Units
        Max data size             unlimited            unlimited            bytes
        Max open files            1024                 524288               files
        """;
    assertThat(HardLimits.parse(table)).isEqualTo(new HardLimits(Long.MAX_VALUE, 524288));
    assertThat(HardLimits.parse("")).isEqualTo(HardLimits.UNLIMITED);
  }
}
