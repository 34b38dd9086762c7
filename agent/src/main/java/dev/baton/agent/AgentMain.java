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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar baton-agent.jar}: load config, join the cluster, deploy the agent; SIGTERM leaves instances running. */
public final class AgentMain {

  private static final Logger LOG = LoggerFactory.getLogger(AgentMain.class);

  private AgentMain() {
  }

  public static void main(String[] args) {
    BatonConfig config;
    try {
      config = ServiceRuntime.loadConfig(ServiceKind.AGENT);
      privateDataDir(AgentSettings.from(config));
    } catch (ConfigException e) {
      // A refusal to start goes to stderr, as the registry's and the gateway's do: it is the exit status's reason.
      System.err.println("agent: " + e.getMessage());
      System.exit(2);
      return;
    }
    ClusteredVertxFactory.create(config, AgentMetrics.vertxOptions())
        .compose(vertx -> vertx.deployVerticle(new AgentVerticle(config)).onSuccess(id ->
            ServiceRuntime.onShutdown("agent", Duration.ofSeconds(30), () -> vertx.close()))
            .onFailure(e -> vertx.close()))
        .onFailure(e -> {
          LOG.error("agent: failed to start: {}", e.getMessage());
          System.exit(1);
        });
  }

  /** Makes the data directory private before anything is stored in it (docs/ARCHITECTURE.md, Agent, "Isolation"). */
  private static void privateDataDir(AgentSettings settings) {
    try {
      DataDirs.prepare(settings.dataDir(), settings.stateDir(), settings.artifactDir(), settings.instancesDir())
          .forEach(change -> LOG.info("agent: mode of {}", change));
    } catch (IOException e) {
      throw new ConfigException(List.of("BATON_DATA_DIR: cannot make " + settings.dataDir() + " private: " + e));
    }
  }
}
