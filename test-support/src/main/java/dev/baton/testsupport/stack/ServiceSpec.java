package dev.baton.testsupport.stack;

import dev.baton.common.config.ServiceKind;
import dev.baton.testsupport.JavaJar;
import dev.baton.testsupport.Repo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to start: a service of one kind with a unique id (also its cluster certificate's name and its data dir's
 * name), on a host, with env overrides applied last (see {@link ServiceEnv}), and the JVM options of its command line:
 * {@link JavaJar#LIGHT_JVM_OPTIONS} unless {@link #jvm(List)} gave others (a benchmark's gateway gets the shipped
 * {@code gateway/jvm.options}). Immutable; the withers copy.
 */
public record ServiceSpec(ServiceKind kind, String id, Host host, Map<String, String> env, List<String> jvmOptions) {

  public ServiceSpec {
    if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("service id '" + id + "' must be 1-64 letters, digits, '.', '_' or '-'");
    }
    env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    jvmOptions = List.copyOf(jvmOptions);
  }

  public ServiceSpec(ServiceKind kind, String id, Host host, Map<String, String> env) {
    this(kind, id, host, env, JavaJar.lightJvmOptions());
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
    return new ServiceSpec(kind, id, host, env, jvmOptions);
  }

  /** This service with {@code key=value} in its environment, over every default. */
  public ServiceSpec env(String key, String value) {
    Map<String, String> copy = new LinkedHashMap<>(env);
    copy.put(key, value);
    return new ServiceSpec(kind, id, host, copy, jvmOptions);
  }

  /** This service with these variables in its environment, over every default. */
  public ServiceSpec env(Map<String, String> variables) {
    Map<String, String> copy = new LinkedHashMap<>(env);
    copy.putAll(variables);
    return new ServiceSpec(kind, id, host, copy, jvmOptions);
  }

  /** This service started with these JVM options instead of {@link JavaJar#LIGHT_JVM_OPTIONS}. */
  public ServiceSpec jvm(List<String> options) {
    return new ServiceSpec(kind, id, host, env, options);
  }

  /**
   * This gateway started as the shipped files say ({@code java @gateway/jvm.options -jar ...}, docs/ARCHITECTURE.md,
   * "Gateway memory"): for a benchmark, whose figures must be those of the gateway users run.
   */
  public ServiceSpec shippedJvm() {
    if (kind != ServiceKind.GATEWAY) {
      throw new IllegalStateException("only the gateway ships JVM options; " + id + " is a " + kind.key);
    }
    return jvm(List.of("@" + Repo.path("gateway/jvm.options").toAbsolutePath()));
  }
}
