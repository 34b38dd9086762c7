package dev.baton.agent;

import dev.baton.agent.metrics.AgentMetrics;
import dev.baton.common.cluster.ClusteredVertxFactory;
import dev.baton.common.config.BatonConfig;
import dev.baton.common.config.ConfigException;
import dev.baton.common.config.ServiceKind;
import dev.baton.common.runtime.ServiceRuntime;
import java.time.Duration;

/** {@code java -jar baton-agent.jar}: load config, join the cluster, deploy the agent; SIGTERM leaves instances running. */
public final class AgentMain {

  private AgentMain() {
  }

  public static void main(String[] args) {
    BatonConfig config;
    try {
      config = ServiceRuntime.loadConfig(ServiceKind.AGENT);
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
}
