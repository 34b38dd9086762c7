package dev.baton.gateway.it;

import org.junit.jupiter.api.BeforeAll;

/**
 * {@link HostileCases} on the epoll transport, which {@code BATON_TRANSPORT=auto} falls back to where io_uring
 * is not allowed (older kernels, Docker's default seccomp profile).
 */
class HostileEpollIT extends HostileCases {

  @BeforeAll
  static void startEpoll() throws Exception {
    startOn("epoll");
  }
}
