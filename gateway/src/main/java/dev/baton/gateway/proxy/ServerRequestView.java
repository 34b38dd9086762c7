package dev.baton.gateway.proxy;

import dev.baton.gateway.routing.AppRoute;
import dev.baton.gateway.routing.RequestView;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;

/** A client request as version selection reads it: a header, a cookie, a query parameter, looked up when asked. */
record ServerRequestView(HttpServerRequest req) implements RequestView {

  /** What a request without a policy shows: version selection reads nothing of it then. */
  private static final RequestView NOTHING = new RequestView() {
    @Override
    public String header(String name) {
      return null;
    }

    @Override
    public String cookie(String name) {
      return null;
    }

    @Override
    public String query(String name) {
      return null;
    }
  };

  /** The view of {@code req} for choosing a version of {@code app}; only a policy reads one (rules, sticky key). */
  static RequestView of(AppRoute app, HttpServerRequest req) {
    return app.policy() == null ? NOTHING : new ServerRequestView(req);
  }

  @Override
  public String header(String name) {
    return req.getHeader(name);
  }

  @Override
  public String cookie(String name) {
    Cookie c = req.getCookie(name);
    return c == null ? null : c.getValue();
  }

  @Override
  public String query(String name) {
    return req.getParam(name);
  }
}
