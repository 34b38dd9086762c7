package dev.baton.common.cluster;

import dev.baton.common.config.ConfigLoader;
import dev.baton.common.config.ServiceKind;
import java.util.Map;

/** Second JVM of {@link ClusteredVertxFactoryTest}: joins the cluster and answers "ping" with "pong from <pid>". */
public final class ClusterPeerMain {

  private ClusterPeerMain() {
  }

  public static void main(String[] args) {
    ClusteredVertxFactory.create(ConfigLoader.resolve(ServiceKind.AGENT, null, System.getenv(), "peer"))
        .compose(vertx -> vertx.eventBus().<String>consumer(args[0],
                msg -> msg.reply("pong from " + ProcessHandle.current().pid() + " to " + msg.body()))
            .completion())
        .onSuccess(v -> System.out.println("peer ready"))
        .onFailure(e -> {
          System.err.println("peer failed: " + e);
          System.exit(1);
        });
  }

  /** A member's env: TLS with {@code certs} ({@code BATON_CLUSTER_*} keys), or insecure on loopback when empty. */
  static Map<String, String> env(String cluster, int myPort, int otherPort, Map<String, String> certs) {
    Map<String, String> env = new java.util.HashMap<>(certs.isEmpty() ? Map.of("BATON_CLUSTER_INSECURE", "true") : certs);
    env.putAll(Map.of("BATON_CLUSTER_NAME", cluster, "BATON_CLUSTER_PORT", String.valueOf(myPort),
        "BATON_CLUSTER_MEMBERS", "127.0.0.1:" + myPort + ",127.0.0.1:" + otherPort));
    return env;
  }
}
