package dev.baton.gateway.it;

import org.junit.jupiter.api.BeforeAll;

/** {@link HostileCases} on {@code BATON_TRANSPORT=auto}: io_uring where the kernel allows it. */
class HostileIT extends HostileCases {

  @BeforeAll
  static void startAuto() throws Exception {
    startOn("auto");
  }
}
