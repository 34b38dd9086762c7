package dev.baton.e2e.load;

import dev.baton.common.consul.ConsulKeys;
import dev.baton.common.model.RoutePolicy;
import dev.baton.common.model.WeightedVersion;
import dev.baton.testsupport.Http;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records when each route policy revision of an app appeared in Consul KV, from a blocking-query loop on
 * its key, with {@link System#nanoTime()} timestamps comparable to the load's {@link Sample}s. This is the
 * "route change" of the cutover figure: when the registry's write became visible, before gateways apply it.
 */
public final class RouteWatch implements AutoCloseable {

  /** A revision and when the watch saw it. */
  public record Change(long atNanos, RoutePolicy policy) {

    /** The weight (0..100) this revision gives {@code version}. */
    public double weightOf(String version) {
      return policy.split().stream().filter(w -> w.version().equals(version)).mapToDouble(WeightedVersion::weight)
          .sum();
    }
  }

  private final Http consul;
  private final String key;
  private final List<Change> changes = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  private RouteWatch(Http consul, String app) {
    this.consul = consul;
    this.key = ConsulKeys.route(app);
    this.thread = new Thread(this::loop, "route-watch-" + app);
    this.thread.setDaemon(true);
  }

  public static RouteWatch start(Http consul, String app) {
    RouteWatch watch = new RouteWatch(consul, app);
    watch.thread.start();
    return watch;
  }

  private void loop() {
    long index = 0;
    while (running) {
      try {
        Http.Response r = consul.get("/v1/kv/" + key + (index > 0 ? "?index=" + index + "&wait=2s" : ""));
        long seen = Long.parseLong(Optional.ofNullable(r.header("X-Consul-Index")).orElse("0"));
        if (r.status() == 200) {
          JsonObject entry = r.array().getJsonObject(0);
          String value = new String(Base64.getDecoder().decode(entry.getString("Value")));
          RoutePolicy policy = RoutePolicy.fromJson(new JsonObject(value));
          if (changes.isEmpty() || changes.get(changes.size() - 1).policy().revision() != policy.revision()) {
            changes.add(new Change(System.nanoTime(), policy));
          }
        }
        index = seen < index ? 0 : Math.max(seen, 1); // an index that goes backwards means start over
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        index = 0; // Consul hiccup: the next query is a plain read
      }
    }
  }

  /** Every revision seen, in order. */
  public List<Change> changes() {
    return List.copyOf(changes);
  }

  /**
   * The first revision seen after {@code sinceNanos} that gives {@code version} 100% of the split, if any.
   */
  public Optional<Change> firstFull(String version, long sinceNanos) {
    return changes.stream().filter(c -> c.atNanos() >= sinceNanos && c.weightOf(version) >= 100.0).findFirst();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
