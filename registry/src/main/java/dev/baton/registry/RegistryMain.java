package dev.baton.registry;

import dev.baton.common.cluster.ClusteredVertxFactory;
import dev.baton.common.config.BatonConfig;
import dev.baton.common.config.ConfigException;
import dev.baton.common.config.ServiceKind;
import dev.baton.common.runtime.ServiceRuntime;
import java.time.Duration;

/** {@code java -jar baton-registry.jar}: load config, join the cluster, deploy the registry; SIGTERM finishes in-flight work. */
public final class RegistryMain {

  private RegistryMain() {
  }

  public static void main(String[] args) {
    BatonConfig config;
    RegistrySettings settings;
    try {
      config = ServiceRuntime.loadConfig(ServiceKind.REGISTRY);
      settings = RegistrySettings.from(config);
    } catch (ConfigException e) {
      System.err.println("registry: " + e.getMessage());
      System.exit(2);
      return;
    }
    ClusteredVertxFactory.create(config)
        .compose(vertx -> vertx.deployVerticle(new RegistryVerticle(config)).onSuccess(id ->
            ServiceRuntime.onShutdown("registry", Duration.ofMillis(settings.shutdownGraceMs() + 10_000),
                () -> vertx.close()))
            .onFailure(e -> vertx.close()))
        .onFailure(e -> {
          System.err.println("registry: failed to start: " + e.getMessage());
          System.exit(1);
        });
  }
}
