package dev.baton.gateway.proxy;

import dev.baton.gateway.routing.InstancePicker;
import dev.baton.gateway.routing.RequestView;
import dev.baton.gateway.routing.Upstream;
import dev.baton.gateway.routing.VersionRoute;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * One client request relayed to an instance, with at most one retry (DESIGN.md §5.6): to another
 * instance of the same version, only when no response byte arrived, and only when the request is safe to
 * send twice — idempotent by its method, or marked by the client with an {@code Idempotency-Key} — or
 * when nothing was sent because no connection could be made. Bodies stream both ways with back-pressure and
 * are never held whole, except that a safe-to-resend or mirrored request keeps a copy of a body of up to
 * {@link #REPLAY_LIMIT} bytes while streaming it, so that its retry can send it again (as Envoy buffers for
 * retries) and its mirror gets it once complete; a larger body is neither retried once sent nor mirrored.
 * A request waiting for its response head from an instance whose node Consul marks failed is decided at once by
 * the same rules ({@link HostLoss}; docs/ARCHITECTURE.md, Gateway, "Instances on a failed host").
 * Lives on the event loop of the client connection; not thread-safe and needs not be (only {@link #hostLost}
 * is called from elsewhere, and it hops onto that event loop).
 */
final class Exchange implements RequestView, Upstream.Waiter {

  static final CharSequence X_BATON_VERSION = HttpHeaders.createOptimized("X-Baton-Version");
  /** The client's promise that sending this request twice is safe (IETF draft "The Idempotency-Key HTTP Header Field"). */
  static final CharSequence IDEMPOTENCY_KEY = HttpHeaders.createOptimized("Idempotency-Key");
  /** Largest request body kept for a retry. */
  static final int REPLAY_LIMIT = 64 * 1024;

  private final ProxyHandler owner;
  private final HttpServerRequest req;
  private final HttpServerResponse resp;
  private final long start;
  private final boolean hasBody;
  private final String uri;
  private final Context context;
  /** Numbers each attempt: callbacks of an attempt abandoned after a host loss find a newer number and stand down. */
  private int attemptNo;
  private VersionRoute version;
  private Upstream upstream;
  private boolean holding;
  private boolean retried;
  private boolean finished;
  private boolean clientGone;
  private HttpClientRequest creq;
  private HttpClientResponse cresp;
  private Buffer pending;
  private long bodyBytes;
  /**
   * The body received so far, kept (up to {@link #REPLAY_LIMIT} bytes) for a retry or a mirror; null when the
   * request needs neither or its body outgrew the limit.
   */
  private Buffer copy;
  /** The instance of the mirror version that gets a copy of this request once its body is complete, or null. */
  private Upstream mirror;
  private boolean bodyReceived;
  /** The body read whole before the exchange began ({@link BodyBuffer}), or null when it streams. */
  private final Buffer buffered;
  /** The read deadline of a streaming body while it arrives, or null. */
  private BodyDeadline deadline;

  Exchange(ProxyHandler owner, HttpServerRequest req, long start, boolean hasBody, String uri, Buffer buffered) {
    this.owner = owner;
    this.req = req;
    this.resp = req.response();
    this.start = start;
    this.hasBody = hasBody;
    this.uri = uri;
    this.buffered = buffered;
    this.context = Vertx.currentContext();
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

  /** Relays the request to {@code first}; with a body, {@code mirror} (or null) gets a copy once it is complete. */
  void begin(VersionRoute version, Upstream first, Upstream mirror) {
    this.version = version;
    resp.closeHandler(v -> clientGone());
    if (hasBody) {
      req.exceptionHandler(this::badBody);
      this.mirror = mirror;
      if (buffered != null) {
        copy = buffered;
        bodyReceived = true;
        if (mirror != null) {
          Mirroring.send(owner, req, uri, mirror, buffered);
          this.mirror = null;
        }
      } else if (safeToResend() || mirror != null) {
        copy = Buffer.buffer();
      }
    }
    attempt(first);
  }

  private void attempt(Upstream u) {
    upstream = u;
    holding = true;
    int n = ++attemptNo;
    u.acquire();
    u.awaitResponse(this);
    RequestOptions options = new RequestOptions()
        .setServer(u.address())
        .setHost(u.info().host())
        .setPort(u.info().port())
        .setMethod(req.method())
        .setURI(uri)
        .setConnectTimeout(UpstreamBusy.waitMs(owner.settings));
    owner.client.request(options).onComplete(ar -> connected(n, ar));
  }

  private void connected(int n, AsyncResult<HttpClientRequest> ar) {
    if (n != attemptNo) {
      if (ar.succeeded()) {
        ar.result().reset(); // abandoned while connecting (host lost): send nothing
      }
      return;
    }
    if (ar.failed()) {
      connectFailed(ar.cause());
      return;
    }
    HttpClientRequest r = ar.result();
    if (clientGone) {
      r.reset();
      finish(499);
      return;
    }
    creq = r;
    MultiMap h = r.headers();
    owner.upstreamHeaders(h, req);
    r.response().onComplete(rar -> responded(n, rar));
    if (!hasBody) {
      r.end();
      return;
    }
    if (!h.contains(HttpHeaders.CONTENT_LENGTH)) {
      r.setChunked(true);
    }
    if (bodyReceived && copy != null) {
      r.end(copy);
      return;
    }
    pumpBody(r);
  }

  private void pumpBody(HttpClientRequest r) {
    long max = owner.settings.maxBodyBytes();
    BodyDeadline d = owner.bodyDeadlines.start(this::bodyOverdue);
    deadline = d;
    req.handler(buf -> {
      d.read(buf.length(), System.nanoTime());
      bodyBytes += buf.length();
      if (bodyBytes > max) {
        refuse(RequestFraming.tooLarge(max));
        r.reset();
        return;
      }
      if (copy != null) {
        if (copy.length() + buf.length() > REPLAY_LIMIT) {
          copy = null;
        } else {
          copy.appendBuffer(buf);
        }
      }
      r.write(buf);
      if (r.writeQueueFull()) {
        // Back-pressure from the instance: the time the gateway does not read is not the client's.
        req.pause();
        d.pause(System.nanoTime());
        r.drainHandler(v -> {
          d.resume(System.nanoTime());
          req.resume();
        });
      }
    });
    req.endHandler(v -> {
      stopDeadline();
      bodyReceived = true;
      r.end();
      if (mirror != null && copy != null) {
        Mirroring.send(owner, req, uri, mirror, copy);
        mirror = null;
      }
    });
    d.resume(System.nanoTime());
    req.resume();
  }

  /** The streaming body missed its deadline: the instance must not see a complete request; the client gets 408. */
  private void bodyOverdue(BodyDeadline.Overdue overdue) {
    deadline = null;
    if (finished) {
      return;
    }
    BodyDeadlines.refuse(req, overdue);
    finish(408);
    // After the 408: the reset fails the attempt at once, and a finished exchange answers nothing more.
    if (creq != null) {
      creq.reset();
    }
  }

  private void stopDeadline() {
    if (deadline != null) {
      owner.bodyDeadlines.stop(deadline);
      deadline = null;
    }
  }

  /**
   * The decoder found bad chunked framing (or the client vanished) mid-body: the instance must not see a
   * complete request, and the client gets 400 while the connection is still there to carry it.
   */
  private void badBody(Throwable t) {
    refuse(new RequestFraming.Refusal(400, "bad_framing", "The request body is not valid HTTP/1.1 chunked framing ("
        + t.getMessage() + "); the connection is closed."));
    if (creq != null) {
      creq.reset();
    }
    // Vert.x closes the channel right after this handler, before its end-of-read flush: flush now.
    if (req.connection() instanceof io.vertx.core.net.impl.ConnectionBase c) {
      c.channel().flush();
    }
  }

  private void connectFailed(Throwable cause) {
    Upstream failed = upstream;
    release();
    if (clientGone) {
      finish(499);
      return;
    }
    // A busy pool is not a failing instance: no ejection. Only a full queue answers at once, worth another instance.
    boolean busy = UpstreamBusy.busy(cause);
    if (!busy) {
      failed.connectFailed(System.nanoTime());
    }
    if (!retried && (!busy || UpstreamBusy.queueFull(cause))) {
      Upstream next = InstancePicker.pick(version, failed, System.nanoTime(), ThreadLocalRandom.current());
      if (next != null) {
        retried = true;
        attempt(next);
        return;
      }
    }
    if (busy) {
      UpstreamBusy.answer(req, owner.settings, version, cause);
      finish(503);
      return;
    }
    fail(502, "upstream_unavailable", "No instance of " + version.app() + " " + version.version()
        + " accepted a connection (" + cause.getMessage() + "); try again shortly.");
  }

  private void responded(int n, AsyncResult<HttpClientResponse> ar) {
    if (n != attemptNo) {
      return;
    }
    if (ar.failed()) {
      noResponse(ar.cause());
      return;
    }
    HttpClientResponse cr = ar.result();
    cresp = cr;
    upstream.answered(this); // a response has begun: a host loss now leaves it to finish or fail by itself
    // Success is an answer, not a pooled connection: a dying instance still hands out pooled connections.
    upstream.connectSucceeded();
    if (clientGone || finished) {
      creq.reset();
      return;
    }
    int status = cr.statusCode();
    resp.setStatusCode(status);
    String message = cr.statusMessage();
    if (message != null) {
      resp.setStatusMessage(message);
    }
    MultiMap h = resp.headers();
    h.setAll(cr.headers());
    HeaderHygiene.stripHopByHop(h, false);
    if (owner.settings.versionHeader()) {
      h.set(X_BATON_VERSION, version.version());
    }
    if (!h.contains(HttpHeaders.CONTENT_LENGTH) && bodyAllowed(status) && req.version() != HttpVersion.HTTP_1_0) {
      resp.setChunked(true);
    }
    cr.handler(this::relay);
    cr.exceptionHandler(this::brokenResponse);
    cr.endHandler(v -> {
      Buffer last = pending;
      pending = null;
      if (last == null) {
        resp.end();
      } else {
        resp.end(last);
      }
      finish(status);
    });
  }

  /** Holds one chunk back so that a small response goes out as one write with its end. */
  private void relay(Buffer chunk) {
    Buffer previous = pending;
    pending = chunk;
    if (previous != null) {
      resp.write(previous);
      if (resp.writeQueueFull()) {
        cresp.pause();
        resp.drainHandler(v -> cresp.resume());
      }
    }
  }

  private void noResponse(Throwable cause) {
    Upstream failed = upstream;
    release();
    if (clientGone || finished) {
      finish(499);
      return;
    }
    // The upstream timeout is the client connection's idle timeout (no per-request timer on the hot
    // path): a connection closed by it fails the request after the timeout has elapsed.
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    if (cause instanceof TimeoutException || elapsedMs >= owner.settings.upstreamTimeoutMs()) {
      fail(504, "upstream_timeout", "The instance of " + version.app() + " " + version.version()
          + " did not answer within " + owner.settings.upstreamTimeoutMs() + " ms (BATON_UPSTREAM_TIMEOUT_MS).");
      return;
    }
    failed.failedBeforeResponse(System.nanoTime());
    if (!retried && safeToResend() && (!hasBody || copy != null && bodyReceived)) {
      Upstream next = InstancePicker.pick(version, failed, System.nanoTime(), ThreadLocalRandom.current());
      if (next != null) {
        retried = true;
        attempt(next);
        return;
      }
    }
    fail(502, "upstream_reset", "The instance of " + version.app() + " " + version.version()
        + " closed the connection before answering (" + cause.getMessage() + ").");
  }

  @Override
  public void hostLost(Upstream lost) {
    if (context == null) {
      onHostLost(lost);
    } else {
      context.runOnContext(v -> onHostLost(lost));
    }
  }

  /** Abandons the attempt to {@code lost} if no response byte came yet; retries or answers as {@link HostLoss} says. */
  private void onHostLost(Upstream lost) {
    if (finished || upstream != lost || !holding || cresp != null) {
      return;
    }
    boolean sent = creq != null;
    attemptNo++;
    if (creq != null) {
      if (hasBody && !bodyReceived) {
        req.handler(null); // the rest of the body has nowhere to go: the request to the lost instance is reset
        req.endHandler(null);
      }
      creq.reset();
      creq = null;
    }
    release();
    if (clientGone) {
      finish(499);
      return;
    }
    Upstream next = retried ? null : InstancePicker.pick(version, lost, System.nanoTime(), ThreadLocalRandom.current());
    boolean safe = safeToResend();
    boolean kept = copy != null && bodyReceived;
    if (HostLoss.decide(sent, safe, hasBody, kept, retried, next != null) == HostLoss.Outcome.RETRY) {
      retried = true;
      attempt(next);
      return;
    }
    fail(502, "upstream_unavailable", "The host of the instance of " + version.app() + " " + version.version()
        + " serving this request failed (Consul marks its node failed) before it answered; "
        + HostLoss.whyNot(sent, safe, hasBody, kept, retried));
  }

  private void brokenResponse(Throwable cause) {
    if (finished) {
      return;
    }
    resp.reset();
    finish(502);
  }

  private void clientGone() {
    if (finished) {
      return;
    }
    clientGone = true;
    if (creq != null) {
      creq.reset();
    }
    if (creq != null || !holding) {
      finish(499);
    }
  }

  private void refuse(RequestFraming.Refusal r) {
    if (finished) {
      return;
    }
    GatewayErrors.sendAndClose(req, r.status(), r.error(), r.message());
    finish(r.status());
  }

  private void fail(int status, String error, String message) {
    GatewayErrors.send(req, status, error, message);
    finish(status);
  }

  private void release() {
    if (holding) {
      holding = false;
      upstream.answered(this);
      upstream.release();
    }
  }

  private void finish(int status) {
    if (finished) {
      return;
    }
    finished = true;
    stopDeadline();
    release();
    upstream.observer().completed(status, System.nanoTime() - start);
  }

  private boolean bodyAllowed(int status) {
    return status >= 200 && status != 204 && status != 304 && req.method() != HttpMethod.HEAD;
  }

  /** Idempotent by method, or marked by the client as safe to send twice. */
  private boolean safeToResend() {
    return idempotent(req.method()) || req.headers().contains(IDEMPOTENCY_KEY);
  }

  static boolean idempotent(HttpMethod m) {
    return m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS || m == HttpMethod.PUT
        || m == HttpMethod.DELETE || m == HttpMethod.TRACE;
  }
}
