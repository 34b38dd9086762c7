package dev.baton.common.runtime;

import dev.baton.common.cluster.ClusteredVertxFactory;
import dev.baton.common.config.BatonConfig;
import dev.baton.common.config.ConfigKeys;
import dev.baton.common.config.ConfigLoader;
import dev.baton.common.config.ServiceKind;
import dev.baton.common.config.TokenRule;
import dev.baton.common.consul.ConsulAccess;
import io.vertx.core.Future;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** What every service's {@code Main} does around its verticles: load config, stop gracefully on SIGTERM. */
public final class ServiceRuntime {

  private ServiceRuntime() {
  }

  /**
   * The configuration of this process from {@code BATON_CONFIG} and the environment. A {@code BATON_*}
   * key this service does not read is most likely a typo: it is named on stderr, and ignored. The cluster's
   * certificate files and the Consul access (CA and client certificate files readable) are checked here too,
   * so a service without usable cluster TLS or Consul access exits before it starts.
   * key this service does not read is most likely a typo: it is named on stderr, and ignored. A command API left
   * open (no {@code BATON_TOKEN}, which the configuration allows only on loopback) is announced on stderr too.
   */
  public static BatonConfig loadConfig(ServiceKind kind) {
    BatonConfig config = ConfigLoader.load(kind, System.getenv(), hostname());
    ConsulAccess.from(config).checkFiles();
    ClusteredVertxFactory.check(config);
    for (String key : ConfigKeys.unknown(config)) {
      System.err.println(kind.key + ": warning: ignoring unknown config key " + key
          + " (see docs/ARCHITECTURE.md for the keys of the " + kind.key + ")");
    }
    TokenRule.openWarning(config).ifPresent(System.err::println);
    return config;
  }

  public static String hostname() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  /**
   * On SIGTERM, runs {@code stop} (which finishes in-flight work and closes Vert.x) and waits for it at
   * most {@code max}, then halts with 0 after a clean stop and 1 otherwise (without the halt a JVM
   * stopped by a signal exits 143 even when everything finished). Blocking here is fine: this is the
   * JVM's shutdown thread, not an event loop.
   */
  public static void onShutdown(String service, Duration max, Supplier<Future<?>> stop) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      int status = 0;
      try {
        stop.get().toCompletionStage().toCompletableFuture().get(max.toMillis(), TimeUnit.MILLISECONDS);
        System.out.println(service + " stopped");
      } catch (Exception e) {
        System.err.println(service + " did not stop cleanly within " + max + ": " + e);
        status = 1;
      }
      System.out.flush();
      System.err.flush();
      Runtime.getRuntime().halt(status);
    }, service + "-shutdown"));
  }
}
