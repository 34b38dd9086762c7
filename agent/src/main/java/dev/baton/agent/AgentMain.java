package dev.baton.agent;

import dev.baton.agent.isolation.DataDirs;
import dev.baton.agent.metrics.AgentMetrics;
import dev.baton.common.cluster.ClusteredVertxFactory;
import dev.baton.common.config.BatonConfig;
import dev.baton.common.config.ConfigException;
import dev.baton.common.config.ServiceKind;
import dev.baton.common.runtime.ServiceRuntime;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** {@code java -jar baton-agent.jar}: load config, join the cluster, deploy the agent; SIGTERM leaves instances running. */
public final class AgentMain {

  private AgentMain() {
  }

  public static void main(String[] args) {
    BatonConfig config;
    try {
      config = ServiceRuntime.loadConfig(ServiceKind.AGENT);
      privateDataDir(AgentSettings.from(config));
    } catch (ConfigException e) {
      System.err.println("agent: " + e.getMessage());
      System.exit(2);
      return;
    }
    ClusteredVertxFactory.create(config, AgentMetrics.vertxOptions())
        .compose(vertx -> vertx.deployVerticle(new AgentVerticle(config)).onSuccess(id ->
            ServiceRuntime.onShutdown("agent", Duration.ofSeconds(30), () -> vertx.close()))
            .onFailure(e -> vertx.close()))
        .onFailure(e -> {
          System.err.println("agent: failed to start: " + e.getMessage());
          System.exit(1);
        });
  }

  /** Makes the data directory private before anything is stored in it (docs/ARCHITECTURE.md, Agent, "Isolation"). */
  private static void privateDataDir(AgentSettings settings) {
    try {
      DataDirs.prepare(settings.dataDir(), settings.stateDir(), settings.artifactDir(), settings.instancesDir())
          .forEach(change -> System.out.println("agent: mode of " + change));
    } catch (IOException e) {
      throw new ConfigException(List.of("BATON_DATA_DIR: cannot make " + settings.dataDir() + " private: " + e));
    }
  }
}
