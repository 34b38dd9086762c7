package dev.baton.gateway.proxy;

import dev.baton.gateway.GatewaySettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileProps;
import io.vertx.core.file.FileSystem;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a renewed certificate without a restart: every {@code BATON_TLS_RELOAD_S} seconds it compares the size
 * and modification time of the certificate and key files with the ones in use and, when they changed, loads
 * them into every traffic verticle's HTTPS server (new connections get the new certificate, open ones keep
 * theirs). A pair that does not load (e.g. the key written but not yet the certificate) leaves the current one
 * in use, is logged once, and is tried again when the files change again.
 */
public final class TlsReloader {

  private static final Logger LOG = LoggerFactory.getLogger(TlsReloader.class);

  private final Vertx vertx;
  private final GatewaySettings.Tls tls;
  private final Supplier<List<TrafficVerticle>> servers;
  private String current;
  private long timer = -1;

  public TlsReloader(Vertx vertx, GatewaySettings.Tls tls, Supplier<List<TrafficVerticle>> servers) {
    this.vertx = vertx;
    this.tls = tls;
    this.servers = servers;
  }

  static PemKeyCertOptions keyCert(GatewaySettings.Tls tls) {
    return new PemKeyCertOptions().setCertPath(tls.certPath()).setKeyPath(tls.keyPath());
  }

  /**
   * Loads the certificate and key once, as the HTTPS server will, so a pair that does not load stops the start
   * before any port accepts a connection (docs/ARCHITECTURE.md, Gateway, "Ready before it binds").
   */
  public static Future<Void> check(Vertx vertx, GatewaySettings.Tls tls) {
    return vertx.executeBlocking(() -> {
      try {
        keyCert(tls).getKeyManagerFactory(vertx);
        return null;
      } catch (Exception e) {
        throw new IllegalStateException("cannot load the HTTPS certificate " + tls.certPath() + " with key "
            + tls.keyPath() + " (BATON_TLS_CERT, BATON_TLS_KEY): " + e.getMessage(), e);
      }
    });
  }

  /** Takes the files' current state as the one in use and starts checking; nothing to do when the period is 0. */
  public Future<Void> start() {
    if (tls.reloadSeconds() == 0) {
      return Future.succeededFuture();
    }
    return stamp().map(stamp -> {
      current = stamp;
      timer = vertx.setPeriodic(tls.reloadSeconds() * 1000, t -> check());
      return null;
    });
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private Future<String> stamp() {
    FileSystem fs = vertx.fileSystem();
    return Future.all(fs.props(tls.certPath()), fs.props(tls.keyPath())).map(all -> {
      FileProps cert = all.resultAt(0);
      FileProps key = all.resultAt(1);
      return cert.size() + "/" + cert.lastModifiedTime() + "/" + key.size() + "/" + key.lastModifiedTime();
    });
  }

  private void check() {
    stamp().onSuccess(stamp -> {
      if (stamp.equals(current)) {
        return;
      }
      current = stamp;
      ServerSSLOptions options = new ServerSSLOptions().setKeyCertOptions(keyCert(tls));
      Future.all(servers.get().stream().map(t -> t.reloadTls(options)).toList()).onComplete(ar -> {
        if (ar.succeeded()) {
          LOG.info("TLS certificate reloaded from {}", tls.certPath());
        } else {
          LOG.warn("TLS certificate at {} changed but does not load ({}); still serving the previous one",
              tls.certPath(), ar.cause().getMessage());
        }
      });
    }).onFailure(e -> LOG.warn("cannot read the TLS certificate or key: {}", e.getMessage()));
  }
}
