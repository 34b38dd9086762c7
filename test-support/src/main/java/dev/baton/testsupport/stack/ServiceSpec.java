package dev.baton.testsupport.stack;

import dev.baton.common.config.ServiceKind;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What to start: a service of one kind with a unique id (also its cluster certificate's name and its data dir's
 * name), on a host, with env overrides applied last (see {@link ServiceEnv}). Immutable; the withers copy.
 */
public record ServiceSpec(ServiceKind kind, String id, Host host, Map<String, String> env) {

  public ServiceSpec {
    if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("service id '" + id + "' must be 1-64 letters, digits, '.', '_' or '-'");
    }
    env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
  }

  public static ServiceSpec registry(String id) {
    return new ServiceSpec(ServiceKind.REGISTRY, id, LocalHost.INSTANCE, Map.of());
  }

  public static ServiceSpec agent(String id) {
    return new ServiceSpec(ServiceKind.AGENT, id, LocalHost.INSTANCE, Map.of());
  }

  public static ServiceSpec gateway(String id) {
    return new ServiceSpec(ServiceKind.GATEWAY, id, LocalHost.INSTANCE, Map.of());
  }

  /** This service on {@code host}. */
  public ServiceSpec on(Host host) {
    return new ServiceSpec(kind, id, host, env);
  }

  /** This service with {@code key=value} in its environment, over every default. */
  public ServiceSpec env(String key, String value) {
    Map<String, String> copy = new LinkedHashMap<>(env);
    copy.put(key, value);
    return new ServiceSpec(kind, id, host, copy);
  }

  /** This service with these variables in its environment, over every default. */
  public ServiceSpec env(Map<String, String> variables) {
    Map<String, String> copy = new LinkedHashMap<>(env);
    copy.putAll(variables);
    return new ServiceSpec(kind, id, host, copy);
  }
}
