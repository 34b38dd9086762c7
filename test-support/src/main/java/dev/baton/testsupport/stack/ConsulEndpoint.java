package dev.baton.testsupport.stack;

import dev.baton.testsupport.ConsulProcess;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a service reaches its Consul agent: host, HTTP(S) port and any extra keys (an ACL token in
 * {@code BATON_CONSUL_TOKEN}, {@code BATON_CONSUL_CA} and client certificate for HTTPS).
 */
public record ConsulEndpoint(String host, int port, Map<String, String> extraEnv) {

  public ConsulEndpoint {
    extraEnv = Map.copyOf(extraEnv);
  }

  /** The plain HTTP port of a test Consul, without a token. */
  public static ConsulEndpoint of(ConsulProcess consul) {
    return new ConsulEndpoint(consul.host(), consul.httpPort(), Map.of());
  }

  /** This endpoint with one more key for the services' environment. */
  public ConsulEndpoint with(String key, String value) {
    Map<String, String> env = new LinkedHashMap<>(extraEnv);
    env.put(key, value);
    return new ConsulEndpoint(host, port, env);
  }

  /** {@code BATON_CONSUL_HOST}, {@code BATON_CONSUL_PORT} and the extra keys. */
  public Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("BATON_CONSUL_HOST", host);
    env.put("BATON_CONSUL_PORT", Integer.toString(port));
    env.putAll(extraEnv);
    return env;
  }

  /** The HTTP base URL, e.g. {@code http://127.0.0.1:8500}. */
  public String httpAddress() {
    return "http://" + host + ":" + port;
  }
}
