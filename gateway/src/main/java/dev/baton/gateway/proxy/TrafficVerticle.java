package dev.baton.gateway.proxy;

import dev.baton.common.http.server.HeadDeadlines;
import dev.baton.common.http.server.InvalidRequests;
import dev.baton.common.http.server.LastResponse;
import dev.baton.common.http.server.LimitedHttpServer;
import dev.baton.common.http.server.ServerLimits;
import dev.baton.gateway.GatewaySettings;
import dev.baton.gateway.handover.FirstRequestWait;
import dev.baton.gateway.routing.RouteSource;
import dev.baton.gateway.routing.Upstream;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One instance of the traffic port: an HTTP server (and, with {@code BATON_HTTPS_PORT}, an HTTPS server with the
 * same handling) and its own client pool to the instances, all on this verticle's event loop (no thread hop per
 * request). The gateway deploys one per core; Vert.x spreads connections across them.
 */
public final class TrafficVerticle extends VerticleBase {

  private final GatewaySettings settings;
  private final RouteSource routes;
  private HttpServer server;
  private HttpServer tlsServer;
  private HttpClientAgent client;
  private UpstreamConnections upstreams;
  private final AwaitingHeads awaiting = new AwaitingHeads();
  private long sweeper = -1;
  /** Set on SIGTERM: every response from then on says {@code Connection: close} (see {@link #closing()}). */
  private volatile boolean closing;
  private long bodySweeper = -1;

  public TrafficVerticle(GatewaySettings settings, RouteSource routes) {
    this.settings = settings;
    this.routes = routes;
  }

  /** The limits every gateway port applies (the traffic port and the admin port). */
  public static ServerLimits limits(GatewaySettings s) {
    return new ServerLimits(s.maxUriBytes(), s.maxHeaderBytes(), s.headerTimeoutMs(), s.idleTimeoutSeconds());
  }

  /** The server options of the traffic port: limits, timeouts, HTTP/1.1 only. */
  public static HttpServerOptions serverOptions(GatewaySettings s) {
    return limits(s).applyTo(new HttpServerOptions())
        .setHandle100ContinueAutomatically(true)
        .setTcpNoDelay(true)
        .setTcpFastOpen(true)
        .setReusePort(true)
        // Writes only from the connection's event loop (every relay runs there; a lost host hops there first):
        // Vert.x then writes straight to the channel, without a per-connection outbound queue (4.6 KiB of heap
        // per connection, docs/ARCHITECTURE.md, "Gateway memory") and its hop on every write.
        .setStrictThreadMode(true)
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        // WebSocket upgrades are relayed as raw bytes (extensions are negotiated end to end): no extension
        // handler in every connection's pipeline, which would also try to negotiate deflate itself.
        .setPerFrameWebSocketCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false);
  }

  static HttpClientOptions clientOptions(GatewaySettings s) {
    return new HttpClientOptions()
        .setKeepAlive(true)
        .setKeepAliveTimeout(30)
        .setPipelining(false)
        .setTcpNoDelay(true)
        .setConnectTimeout(s.connectTimeoutMs())
        .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, s.upstreamTimeoutMs()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setMaxInitialLineLength(64 * 1024)
        .setMaxHeaderSize(64 * 1024)
        .setDecompressionSupported(false);
  }

  @Override
  public Future<?> start() {
    client = vertx.createHttpClient(clientOptions(settings),
        new PoolOptions().setHttp1MaxSize(settings.upstreamPoolSize())
            .setMaxWaitQueueSize(settings.upstreamQueue().size()));
    upstreams = new UpstreamConnections(vertx, client, settings.upstreamPoolSize(), settings.upstreamQueue());
    HttpServerOptions options = serverOptions(settings);
    HeadDeadlines deadlines = new HeadDeadlines(options, settings.headerTimeoutMs());
    sweeper = vertx.setPeriodic(LimitedHttpServer.sweepIntervalMs(settings.headerTimeoutMs()), t -> deadlines.sweep());
    BodyDeadlines bodyDeadlines = new BodyDeadlines(settings.bodies());
    bodySweeper = vertx.setPeriodic(BodyDeadlines.sweepIntervalMs(settings.bodies()), t -> bodyDeadlines.sweep());
    // Guarded: a request decoded before a refusal that closes its connection is not handled (LastResponse).
    Handler<HttpServerRequest> handler = LastResponse.guard(new ProxyHandler(settings, client, upstreams, routes,
        bodyDeadlines, awaiting));
    Handler<HttpServerRequest> invalid =
        LastResponse.guard(new InvalidRequests(settings.maxUriBytes(), settings.maxHeaderBytes()));
    int idle = settings.idleTimeoutSeconds();
    Handler<HttpConnection> connections = connections(deadlines, idle, "http");
    Handler<HttpServerRequest> requests = req -> {
      announceClose(req.response());
      handler.handle(req);
    };
    server = vertx.createHttpServer(options).connectionHandler(connections).invalidRequestHandler(invalid)
        .requestHandler(requests);
    String bind = settings.config().bind();
    Future<HttpServer> listening = listen(server, bind, settings.config().httpPort(), "BATON_HTTP_PORT");
    GatewaySettings.Tls tls = settings.tls();
    if (tls == null) {
      return listening;
    }
    HttpServerOptions tlsOptions = serverOptions(settings).setSsl(true).setUseAlpn(false)
        .setKeyCertOptions(TlsReloader.keyCert(tls));
    tlsServer = vertx.createHttpServer(tlsOptions).connectionHandler(connections(deadlines, idle, "https"))
        .invalidRequestHandler(invalid)
        .requestHandler(requests);
    return listening.compose(s -> listen(tlsServer, bind, tls.port(), "BATON_HTTPS_PORT"));
  }

  /** What every accepted connection gets, on a server of {@code scheme}. */
  private Handler<HttpConnection> connections(HeadDeadlines deadlines, int idle, String scheme) {
    return conn -> {
      deadlines.install(conn);
      ClientIdleTimeout.install(conn, idle); // the idle timeout pauses while a response is owed (README "Timeouts")
      Peer.install(conn, scheme);
      if (closing) {
        FirstRequestWait.install(conn);
      }
    };
  }

  /** A failed bind names the address, the port and the key that sets it. */
  private static Future<HttpServer> listen(HttpServer s, String host, int port, String key) {
    return s.listen(port, host).recover(e -> Future.failedFuture("cannot listen on " + host + ":" + port + " ("
        + key + ", BATON_BIND): " + e.getMessage() + "; free the port or choose another"));
  }

  /**
   * While the gateway stops, a response tells the client to open its next connection elsewhere (the gateway
   * replacing this one, docs/ARCHITECTURE.md, Gateway, "Replacing a gateway"), so a keep-alive connection ends
   * after its current response, at the client's end, instead of racing a request the client is sending. The
   * flag is read when the head is written: a request already in flight at SIGTERM gets it too. Not on a 101: an
   * upgraded connection stays open.
   */
  private void announceClose(HttpServerResponse resp) {
    resp.headersEndHandler(v -> {
      if (closing && resp.getStatusCode() != 101) {
        resp.headers().set(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
      }
    });
  }

  /**
   * The instances in {@code lost} are on a failed host ({@link Upstream#hostLost()} was called): the requests of this
   * verticle's event loop waiting for a response head from one of them are decided now, on that event loop
   * (docs/ARCHITECTURE.md, "Host-lost bookkeeping per event loop"). Completes with how many there were.
   */
  public Future<Integer> hostLost(Set<Upstream> lost) {
    if (context == null) {
      return Future.succeededFuture(0); // not deployed yet: no request of its own
    }
    Promise<Integer> told = Promise.promise();
    context.runOnContext(v -> {
      try {
        told.complete(awaiting.hostLost(lost));
      } catch (RuntimeException e) {
        told.fail(e);
      }
    });
    return told.future();
  }

  /** From now on every response says {@code Connection: close}; the ports still accept until {@link #drainAndClose}. */
  public void closing() {
    closing = true;
  }

  /** Loads the certificate and key again into the HTTPS server, for new connections; false without HTTPS. */
  Future<Boolean> reloadTls(ServerSSLOptions options) {
    return tlsServer == null ? Future.succeededFuture(false) : tlsServer.updateSSLOptions(options, true);
  }

  /** Stops accepting, lets in-flight requests finish (up to {@code timeoutMs}), then closes. */
  public Future<Void> drainAndClose(long timeoutMs) {
    return Future.all(shutdown(server, timeoutMs), shutdown(tlsServer, timeoutMs)).mapEmpty();
  }

  private static Future<Void> shutdown(HttpServer s, long timeoutMs) {
    return s == null ? Future.succeededFuture() : s.shutdown(timeoutMs, TimeUnit.MILLISECONDS);
  }

  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  @Override
  public Future<?> stop() {
    if (sweeper >= 0) {
      vertx.cancelTimer(sweeper);
    }
    if (bodySweeper >= 0) {
      vertx.cancelTimer(bodySweeper);
    }
    if (upstreams != null) {
      upstreams.close();
    }
    return Future.all(shutdown(server, 0), shutdown(tlsServer, 0))
        .eventually(() -> client == null ? Future.succeededFuture() : client.close()).mapEmpty();
  }
}
