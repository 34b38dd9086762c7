package dev.baton.registry.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The dashboard at {@code /ui} (README "Dashboard", docs/ARCHITECTURE.md "Dashboard"): static files from the
 * registry jar ({@code ui/}) and uPlot from its WebJar, served without a token — they hold no data; every data
 * call the page makes goes to {@code /v1/...} with the token the user gives it. Strict headers: scripts, styles
 * and connections only from this origin (no inline script), never framed, no MIME sniffing.
 */
final class Dashboard {

  static final String CSP = "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
      + "frame-ancestors 'none'";
  private static final String UPLOT = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

  private Dashboard() {
  }

  static void mount(Router router) {
    router.get("/").handler(ctx -> redirect(ctx, "/ui/"));
    // The router matches "/ui" with or without its trailing slash: only the bare one is redirected.
    router.get("/ui").handler(ctx -> {
      if ("/ui".equals(ctx.request().path())) {
        redirect(ctx, "/ui/");
      } else {
        ctx.next();
      }
    });
    router.route("/ui/*").handler(Dashboard::headers);
    router.route("/ui/lib/uplot/*").handler(StaticHandler.create("META-INF/resources/webjars/uplot/" + uplotVersion()
        + "/dist").setCachingEnabled(false).setDirectoryListing(false));
    router.route("/ui/*").handler(StaticHandler.create("ui").setCachingEnabled(false).setDirectoryListing(false)
        .setIndexPage("index.html"));
  }

  private static void headers(RoutingContext ctx) {
    ctx.response().putHeader("Content-Security-Policy", CSP).putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY").putHeader("Referrer-Policy", "no-referrer")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    ctx.next();
  }

  private static void redirect(RoutingContext ctx, String to) {
    ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, to).end();
  }

  /** The uPlot WebJar's version, from its Maven metadata: the dependency's version is the one place it is named. */
  static String uplotVersion() {
    try (InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(UPLOT)) {
      if (in == null) {
        throw new IllegalStateException("the uPlot WebJar (org.webjars.npm:uplot) is not on the class path");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
