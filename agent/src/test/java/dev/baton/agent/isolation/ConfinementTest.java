package dev.baton.agent.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.common.http.ApiException;
import dev.baton.common.model.Limits;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfinementTest {

  private static final Account NOBODY = new Account("nobody", 65534, 65534, "/nonexistent");
  private static final HostTools ALL = new HostTools(Optional.of(Path.of("/usr/bin/prlimit")),
      Optional.of(Path.of("/usr/bin/setpriv")), Optional.of(Path.of("/usr/bin/getent")));
  private static final HostTools NONE = new HostTools(Optional.empty(), Optional.empty(), Optional.empty());
  private static final List<String> APP = List.of("java", "-jar", "/d/a");

  @Test
  void nothingAskedNothingWrapped() {
    Confinement c = Confinement.decide(null, Limits.NONE, Optional.empty(), 1000, NONE, HardLimits.UNLIMITED);
    assertThat(c.wrap(APP)).isEqualTo(APP);
    assertThat(c.identityEnv()).isEmpty();
    assertThat(c.switchesUser()).isFalse();
  }

  @Test
  void rootRunsTheAppAsTheUserBehindItsLimits() {
    Confinement c = Confinement.decide("nobody", new Limits(256, 1024), Optional.of(NOBODY), 0, ALL,
        HardLimits.UNLIMITED);
    assertThat(c.wrap(APP)).containsExactly("/usr/bin/prlimit", "--data=268435456", "--nofile=1024", "--",
        "/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--init-groups", "--", "java", "-jar", "/d/a");
    assertThat(c.identityEnv()).containsEntry("HOME", "/nonexistent").containsEntry("USER", "nobody")
        .containsEntry("LOGNAME", "nobody");
    assertThat(c.switchesUser()).isTrue();
  }

  @Test
  void runAsTheAgentsOwnUserNeedsNoSwitchAndNoRoot() {
    Account self = new Account("baton", 1000, 1000, "/var/lib/baton");
    Confinement c = Confinement.decide("baton", Limits.NONE, Optional.of(self), 1000, NONE, HardLimits.UNLIMITED);
    assertThat(c.wrap(APP)).isEqualTo(APP);
    assertThat(c.identityEnv()).containsEntry("USER", "baton");
  }

  @Test
  void onlyOneLimitIsPassedWhenOnlyOneIsSet() {
    Confinement c = Confinement.decide(null, new Limits(null, 64), Optional.empty(), 0, ALL, HardLimits.UNLIMITED);
    assertThat(c.wrap(APP)).containsExactly("/usr/bin/prlimit", "--nofile=64", "--", "java", "-jar", "/d/a");
  }

  @Test
  void refusals() {
    assertRefused(() -> Confinement.decide("ghost", Limits.NONE, Optional.empty(), 0, ALL, HardLimits.UNLIMITED),
        "unknown_user", "useradd");
    assertRefused(() -> Confinement.decide("nobody", Limits.NONE, Optional.of(NOBODY), 1000, ALL, HardLimits.UNLIMITED),
        "run_as_not_permitted", "not root");
    assertRefused(() -> Confinement.decide("nobody", Limits.NONE, Optional.of(NOBODY), 0, NONE, HardLimits.UNLIMITED),
        "tool_missing", "setpriv");
    assertRefused(() -> Confinement.decide(null, new Limits(64, null), Optional.empty(), 0, NONE, HardLimits.UNLIMITED),
        "tool_missing", "prlimit");
    assertRefused(() -> Confinement.decide(null, new Limits(null, 4096), Optional.empty(), 1000, ALL,
        new HardLimits(Long.MAX_VALUE, 1024)), "limit_too_high", "limits.openFiles");
    assertRefused(() -> Confinement.decide(null, new Limits(512, null), Optional.empty(), 1000, ALL,
        new HardLimits(256L * 1024 * 1024, Long.MAX_VALUE)), "limit_too_high", "limits.memoryMb");
  }

  @Test
  void rootMayRaiseAHardLimit() {
    Confinement c = Confinement.decide(null, new Limits(null, 4096), Optional.empty(), 0, ALL,
        new HardLimits(Long.MAX_VALUE, 1024));
    assertThat(c.wrap(APP)).contains("--nofile=4096");
  }

  private static void assertRefused(Runnable decide, String code, String hint) {
    assertThatThrownBy(decide::run).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status()).isEqualTo(422);
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.getMessage()).contains(hint).contains("Nothing was started");
    });
  }
}
