package dev.baton.common.consul;

/**
 * Consul refused a request for a reason retrying does not fix (its ACL token, or the HTTPS handshake); the
 * message names the key to change. Made by {@link ConsulAccess#explain(Throwable)}.
 */
public final class ConsulRefusedException extends RuntimeException {

  public ConsulRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
