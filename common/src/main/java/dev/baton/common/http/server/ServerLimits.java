package dev.baton.common.http.server;

import dev.baton.common.config.BatonConfig;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;

/**
 * The limits every baton HTTP port applies (docs/ARCHITECTURE.md "Configuration"): HTTP/1.1 only (no h2c
 * upgrade), a longest request line and header block, a header-read deadline against slowloris (enforced by
 * {@link HeadDeadlines}, as Vert.x has no option for it) and an idle timeout. Body limits stay with each
 * endpoint, because they differ (JSON bodies against artifact uploads).
 *
 * @param maxUriBytes        {@code BATON_MAX_URI_BYTES}: longer request lines are answered 414
 * @param maxHeaderBytes     {@code BATON_MAX_HEADER_BYTES}: larger header blocks are answered 431
 * @param headerTimeoutMs    {@code BATON_HEADER_TIMEOUT_MS}: a request head slower than this is answered 408
 * @param idleTimeoutSeconds {@code BATON_IDLE_TIMEOUT_S}: a connection without a byte either way is closed
 */
public record ServerLimits(int maxUriBytes, int maxHeaderBytes, long headerTimeoutMs, int idleTimeoutSeconds) {

  public static final int DEFAULT_MAX_URI_BYTES = 8192;
  public static final int DEFAULT_MAX_HEADER_BYTES = 16384;
  public static final long DEFAULT_HEADER_TIMEOUT_MS = 30_000;

  /** The limits of a control-plane port (registry, agent) from its configuration, same keys as the gateway's. */
  public static ServerLimits from(BatonConfig c, int defaultIdleTimeoutSeconds) {
    return new ServerLimits(
        (int) c.intSetting("BATON_MAX_URI_BYTES", DEFAULT_MAX_URI_BYTES, 256, 1 << 20),
        (int) c.intSetting("BATON_MAX_HEADER_BYTES", DEFAULT_MAX_HEADER_BYTES, 1024, 1 << 20),
        c.intSetting("BATON_HEADER_TIMEOUT_MS", DEFAULT_HEADER_TIMEOUT_MS, 100, 3_600_000),
        (int) c.intSetting("BATON_IDLE_TIMEOUT_S", defaultIdleTimeoutSeconds, 1, 86_400));
  }

  /** Sets these limits on {@code options} and turns h2c off; returns {@code options}. */
  public HttpServerOptions applyTo(HttpServerOptions options) {
    return options
        .setMaxInitialLineLength(maxUriBytes)
        .setMaxHeaderSize(maxHeaderBytes)
        .setIdleTimeout(idleTimeoutSeconds)
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setHttp2ClearTextEnabled(false);
  }
}
