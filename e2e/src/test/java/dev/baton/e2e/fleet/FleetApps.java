package dev.baton.e2e.fleet;

import dev.baton.testsupport.Poll;
import dev.baton.testsupport.fleet.Fleet;
import dev.baton.testsupport.stack.Service;
import dev.baton.testsupport.fleet.HaproxyFront;
import dev.baton.testsupport.fleet.NetnsHost;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import dev.baton.common.model.RoutePolicy;
import dev.baton.common.model.WeightedVersion;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The apps of the fleet scenarios and what the fleet says about them: artifacts, specs, which version serves,
 * where the instances are (Consul's catalog: node = host), and the hosts a scenario killed or cut off, which
 * {@link #restoreHosts()} brings back so the next scenario starts on a whole fleet.
 */
final class FleetApps {

  static final String V1 = "1.0.0";
  static final String V2 = "2.0.0";
  /** A version no agent has downloaded before the failover scenario releases it ({@link SampleJars}). */
  static final String V3 = "3.0.0";
  private static final Set<String> RUNNING = Set.of("STARTING", "HEALTHY", "DRAINING");

  private final Fleet fleet;
  private final HttpClientAgent client;
  private final Map<String, String> current = new ConcurrentHashMap<>();
  private final Map<String, String> virtualHosts = new ConcurrentHashMap<>();
  private final Set<NetnsHost> killed = new LinkedHashSet<>();
  private final Set<NetnsHost> cut = new LinkedHashSet<>();

  FleetApps(Fleet fleet, Vertx vertx) {
    this.fleet = fleet;
    this.client = vertx.createHttpClient();
  }

  /** Uploads sample-app's jar of each version to the leading registry as {@code app}'s artifacts. */
  FleetApps upload(String app, String... versions) {
    for (String v : versions) {
      fleet.registry().putFile("/v1/artifacts/" + app + "/" + v, SampleJars.jar(v)).ok("upload " + app + " " + v);
    }
    return this;
  }

  /**
   * Creates {@code app} with {@code instances} instances, listening on every interface ({@code BIND}: the
   * gateways reach them from other hosts), routed by {@code virtualHost} (null: every host name).
   */
  FleetApps create(String app, int instances, String virtualHost) {
    JsonArray hosts = new JsonArray();
    if (virtualHost != null) {
      hosts.add(virtualHost);
      virtualHosts.put(app, virtualHost);
    }
    JsonObject spec = new JsonObject().put("instances", instances).put("healthPath", "/health")
        .put("env", new JsonObject().put("BIND", "0.0.0.0"))
        .put("routing", new JsonObject().put("hosts", hosts).put("pathPrefix", "/"));
    fleet.registry().put("/v1/apps/" + app, spec).ok("PUT app " + app);
    return this;
  }

  /** Releases {@code version} with the default strategy and waits until it alone serves. */
  void serving(String app, String version) {
    Poll.until(FleetScenario.RELEASE_TIMEOUT, () -> releaseSucceeds(app, version, null), app + " " + version);
    int instances = fleet.app(app).getJsonObject("spec", new JsonObject()).getInteger("instances", 3);
    awaitServing(app, version, instances);
  }

  /**
   * Starts a release and waits for its end: true when it succeeded, an AssertionError (which stops the polling
   * at once) when it ended otherwise.
   */
  boolean releaseSucceeds(String app, String version, String strategy) {
    JsonObject body = new JsonObject().put("version", version);
    if (strategy != null) {
      body.put("strategy", new JsonObject(strategy));
    }
    String id = fleet.registry().post("/v1/apps/" + app + "/releases", body).ok("release " + app + " " + version)
        .json().getString("id");
    JsonObject end = Poll.value(FleetScenario.RELEASE_TIMEOUT, () -> {
      JsonObject r = fleet.registry().get("/v1/releases/" + id).ok("GET release").json();
      return Set.of("SUCCEEDED", "ABORTED", "FAILED").contains(r.getString("phase")) ? r : null;
    }, "release " + id + " of " + app + " " + version + " to end");
    if (!"SUCCEEDED".equals(end.getString("phase"))) {
      throw new AssertionError("release " + id + " of " + app + " " + version + " ended " + end.getString("phase")
          + ": " + end.getString("message"));
    }
    return true;
  }

  /** Waits until {@code n} instances of {@code version} pass and the front answers only with it. */
  void awaitServing(String app, String version, int n) {
    Poll.until(Duration.ofSeconds(60), () -> passing(app, version) == n, n + " passing instances of " + app + " "
        + version);
    String vhost = virtualHosts.get(app);
    Poll.until(Duration.ofSeconds(30), () -> {
      for (int i = 0; i < 10; i++) {
        if (!version.equals(versionThroughFront(vhost))) {
          return false;
        }
      }
      return true;
    }, "the front to serve only " + app + " " + version);
    current.put(app, version);
  }

  /**
   * The version that answers {@code GET /} through the front (null on an error), with {@code Host: vhost} when
   * given: through Vert.x's client, as the JDK's refuses to set {@code Host}.
   */
  private String versionThroughFront(String vhost) {
    RequestOptions options = new RequestOptions().setHost(fleet.front().address()).setPort(HaproxyFront.PORT)
        .setURI("/").setTimeout(5_000);
    if (vhost != null) {
      options.putHeader("Host", vhost);
    }
    return client.request(options).compose(req -> req.send()
            .compose(r -> r.body().map(b -> r.statusCode() == 200 ? r.getHeader("X-App-Version") : null)))
        .await();
  }

  /**
   * The version that takes most of {@code app}'s traffic in the route the registry wrote (a scenario that failed
   * half-way may have left either), else the last one seen serving.
   */
  String current(String app) {
    try {
      JsonObject route = fleet.app(app).getJsonObject("route");
      if (route != null) {
        return RoutePolicy.fromJson(route).split().stream().max(Comparator.comparingDouble(WeightedVersion::weight))
            .map(WeightedVersion::version).orElse(current.getOrDefault(app, V1));
      }
    } catch (RuntimeException | AssertionError e) {
      // no registry answers: fall back on what the test saw
    }
    return current.getOrDefault(app, V1);
  }

  /** A release a failed scenario left running is aborted, so the next one starts clean. */
  void abortActiveRelease(String app) {
    Object active = fleet.app(app).getValue("activeRelease");
    if (active instanceof JsonObject release) {
      String id = release.getString("id");
      fleet.registry().post("/v1/releases/" + id + "/abort", null);
      Poll.until(FleetScenario.RELEASE_TIMEOUT, () -> Set.of("SUCCEEDED", "ABORTED", "FAILED")
              .contains(fleet.registry().get("/v1/releases/" + id).ok("GET release").json().getString("phase")),
          "left-over release " + id + " to end");
    }
  }

  String other(String app) {
    return V1.equals(current(app)) ? V2 : V1;
  }

  /** Passing instances of {@code app} at {@code version} in Consul's health API. */
  int passing(String app, String version) {
    return (int) passingEntries(app).stream()
        .filter(e -> version.equals(e.getJsonObject("Service").getJsonObject("Meta", new JsonObject())
            .getString("version"))).count();
  }

  /** Passing instances of {@code app} at {@code version} on hosts other than {@code excluded}. */
  int passingOutside(String app, String version, NetnsHost excluded) {
    return (int) passingEntries(app).stream()
        .filter(e -> !excluded.name().equals(e.getJsonObject("Node").getString("Node")))
        .filter(e -> version.equals(e.getJsonObject("Service").getJsonObject("Meta", new JsonObject())
            .getString("version"))).count();
  }

  /** The hosts (Consul nodes) holding passing instances of {@code app} at {@code version}, in node order. */
  List<String> hostsOf(String app, String version) {
    return passingEntries(app).stream()
        .filter(e -> version.equals(e.getJsonObject("Service").getJsonObject("Meta", new JsonObject())
            .getString("version")))
        .map(e -> e.getJsonObject("Node").getString("Node")).distinct().sorted().toList();
  }

  private List<JsonObject> passingEntries(String app) {
    return fleet.consul().any().get("/v1/health/service/" + app + "?passing").array().stream()
        .map(o -> (JsonObject) o).toList();
  }

  /** Registrations of {@code app} in Consul's catalog, passing or not. */
  int registrations(String app) {
    return fleet.consul().any().get("/v1/catalog/service/" + app).array().size();
  }

  /** Instances of {@code app} the agents say are running (starting, healthy or draining). */
  int running(String app) {
    int n = 0;
    for (Service agent : fleet.agents()) {
      for (Object o : agent.http().get("/v1/instances").array()) {
        JsonObject i = (JsonObject) o;
        if (app.equals(i.getString("app")) && RUNNING.contains(i.getString("state"))) {
          n++;
        }
      }
    }
    return n;
  }

  /** Waits until exactly {@code n} instances of {@code app} run, pass and are registered: no surplus, no duplicate. */
  void awaitNoSurplus(String app, int n) {
    Poll.until(Duration.ofSeconds(120), () -> registrations(app) == n && running(app) == n
        && passing(app, current(app)) == n, n + " registered, running and passing instances of " + app
        + " (no surplus, no duplicate registration)");
  }

  /** A worker holding an instance of {@code app} that is not {@code version} (an old one), else worker-3. */
  /** A worker running {@code version} of {@code app} (worker-1 when none is found). */
  NetnsHost workerWith(String app, String version) {
    return hostsOf(app, version).stream().filter(h -> h.startsWith("worker-")).findFirst().map(fleet::host)
        .orElse(fleet.host("worker-1"));
  }

  NetnsHost workerWithout(String app, String version) {
    List<String> with = hostsOf(app, version);
    return passingEntries(app).stream().map(e -> e.getJsonObject("Node").getString("Node"))
        .filter(h -> h.startsWith("worker-") && !with.contains(h)).findFirst().map(fleet::host)
        .orElse(fleet.host("worker-3"));
  }

  /** A power cut on {@code host} during {@code scenario}: its instances' last order snapshots stand. */
  void kill(NetnsHost host, FleetScenario scenario) {
    killed.add(host);
    host.kill();
    scenario.audit().hostGone(host.address());
  }

  /** Brings a killed host back (its Consul agent and services). */
  void restart(NetnsHost host) {
    fleet.restart(host);
    killed.remove(host);
  }

  void cutOff(NetnsHost host) {
    cut.add(host);
  }

  void healed(NetnsHost host) {
    cut.remove(host);
  }

  /** Heals every cut and restarts every killed host, so the next scenario starts on a whole fleet. */
  void restoreHosts() {
    for (NetnsHost h : List.copyOf(cut)) {
      h.linkUp();
      cut.remove(h);
    }
    for (NetnsHost h : List.copyOf(killed)) {
      restart(h);
    }
    Poll.until(Duration.ofSeconds(90), () -> fleet.leader().isPresent()
        && fleet.passing("baton-agent") == fleet.agents().size()
        && fleet.passing("baton-gateway") == fleet.gateways().size(), "the whole fleet to pass again");
  }
}
