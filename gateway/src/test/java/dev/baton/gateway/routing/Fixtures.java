package dev.baton.gateway.routing;

import dev.baton.common.model.AppSpec;
import dev.baton.common.model.RoutePolicy;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builders for table tests: instances, specs, policies and a request view backed by maps. */
final class Fixtures {

  static final Ejection EJECTION = Ejection.ofMillis(3, 1000, 30_000);

  private Fixtures() {
  }

  static InstanceInfo instance(String app, String version, int port) {
    return new InstanceInfo(app + "-" + version + "-a1-" + port, app, version, "127.0.0.1", port);
  }

  static Upstream upstream(InstanceInfo info) {
    return new Upstream(info, EJECTION, UpstreamObserver.NONE);
  }

  static AppSpec spec(String app, List<String> hosts, String prefix) {
    JsonObject routing = new JsonObject().put("hosts", hosts).put("pathPrefix", prefix);
    return AppSpec.fromJson(app, new JsonObject().put("instances", 1).put("routing", routing));
  }

  static RoutePolicy policy(String json) {
    return RoutePolicy.fromJson(new JsonObject(json));
  }

  static RouteTable table(Map<String, AppSpec> specs, Map<String, RoutePolicy> policies, List<InstanceInfo> instances,
                          String defaultApp) {
    UpstreamRegistry registry = new UpstreamRegistry(Fixtures::upstream);
    return RouteTableBuilder.build(new RouteInputs(specs, policies, instances, List.of()), registry::obtain,
        defaultApp, 1L);
  }

  static List<InstanceInfo> instances(String app, String version, int... ports) {
    List<InstanceInfo> out = new ArrayList<>();
    for (int p : ports) {
      out.add(instance(app, version, p));
    }
    return out;
  }

  /** A request view from maps; null maps mean "absent". */
  static RequestView request(Map<String, String> headers, Map<String, String> cookies, Map<String, String> query) {
    Map<String, String> h = new HashMap<>();
    headers.forEach((k, v) -> h.put(k.toLowerCase(), v));
    return new RequestView() {
      @Override
      public String header(String name) {
        return h.get(name.toLowerCase());
      }

      @Override
      public String cookie(String name) {
        return cookies.get(name);
      }

      @Override
      public String query(String name) {
        return query.get(name);
      }
    };
  }

  static RequestView empty() {
    return request(Map.of(), Map.of(), Map.of());
  }
}
